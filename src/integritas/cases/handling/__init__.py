"""The case handlers' work: the inbox, the case page and its actions."""

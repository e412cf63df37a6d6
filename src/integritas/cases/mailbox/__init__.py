"""The reporter's mailbox: entered with the receipt code, without a login."""

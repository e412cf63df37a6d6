"""Notices about cases: e-mails without content, sent by background tasks."""

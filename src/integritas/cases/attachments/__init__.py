"""Attachments of a case: type from content, metadata stripped, virus-scanned, encrypted.

detection.py decides the type from the bytes; validation.py gives the reporter the reasons
a file may not be stored; cleaning/ removes what could identify the reporter, one module
per format; scanning.py streams the plaintext to clamd; storage.py seals the cleaned file
in chunks under the case's data key; rescan.py scans again what came in while clamd was
down.
"""

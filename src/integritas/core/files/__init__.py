"""File intake for every app: type from content, metadata stripped, scanned, encrypted.

detection.py decides the type from the bytes; validation.py gives the reasons a file may
not be stored; cleaning/ removes what could identify the person who sent it, one module
per format; scanning.py streams the plaintext to clamd; storage.py seals the cleaned file
in chunks under a key holder's data key (core/encryption); intake.py runs these steps
for one upload; download.py hands a stored file back as a download. streams.py reads an
upload within its size limit. An app binds the stored file to its own row (the cases
app: cases/attachments/).
"""

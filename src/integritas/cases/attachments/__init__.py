"""Attachments of a case: the shared file intake (core/files) bound to the case.

storage.py stores an upload through core/files/intake.py under the case's data key and
keeps the row (`Attachment`) with the sealed file name; views.py lets who may view the
case download it; rescan.py scans again what came in while clamd was down.
"""

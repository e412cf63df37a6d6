"""Signed forms (oath forms, declarations) sealed under their own data key.

A SignedForm row is the key holder of its file: every chunk is sealed with the field
`signed_form` (core/files/storage.py binds the storage name, chunk index and last
chunk), the file name with `signed_form_name`; the associated data names the row's
reference (fixed at creation) and the organisation.
"""

from collections.abc import Iterator
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from integritas.audit.constants import Origin
from integritas.audit.services import audit_record
from integritas.core.encryption.keys import (
    KeyHolderModel,
    ModelRotation,
    RotationMessages,
    register_key_holder,
)
from integritas.core.encryption.sealing import Sealer
from integritas.core.files.intake import upload_store
from integritas.core.files.storage import sealed_file_open

from .models import Duty, SignedForm

STORAGE_PREFIX = "signed-forms/"
_FIELD = "signed_form"
_NAME_FIELD = "signed_form_name"

SEALER = Sealer[SignedForm](
    label="signed_form",
    identity=lambda form: form.reference,
    organisation=lambda form: form.organisation_id,
)


def signed_form_store(*, duty: Duty, upload: UploadedFile, actor: Any) -> SignedForm:
    """Check, clean, seal and store the scan; replaces an earlier one of the duty.

    Raises ValidationError (Dutch) for a file that may not be stored; the caller's
    transaction covers the row.
    """
    form = SignedForm(organisation_id=duty.organisation_id, duty=duty, uploaded_by=actor)
    SEALER.new_key(form)
    stored = upload_store(
        upload,
        prefix=STORAGE_PREFIX,
        seal=lambda chunk, row: SEALER.seal_bytes(form, _FIELD, chunk, row=row),
    )
    SignedForm.objects.filter(duty=duty).delete()
    form.storage_name = stored.file.storage_name
    form.filename_enc = SEALER.seal(form, _NAME_FIELD, stored.name, row=stored.file.storage_name)
    form.content_type = stored.content_type
    form.size = stored.file.size
    form.sha256 = stored.file.sha256
    form.scan_status = str(stored.file.scan_status)
    form.save()
    return form


def signed_form_filename(form: SignedForm) -> str:
    return SEALER.unseal(form, _NAME_FIELD, form.filename_enc, row=form.storage_name) or "formulier"


def signed_form_open(form: SignedForm) -> Iterator[bytes]:
    """The decrypted chunks (raises SealedFileError when the file was altered)."""
    return sealed_file_open(
        form.storage_name,
        unseal=lambda blob, row: SEALER.unseal_bytes(form, _FIELD, blob, row=row),
    )


def _rotation_audited(rotation: ModelRotation, actor: Any) -> None:
    audit_record(
        action="obligations.master_key_rotated",
        actor=actor,
        object_type="crypto.master_key",
        object_id=f"{rotation.current_key_id}:{rotation.rewrapped}",
        origin=Origin.CLI,
    )


def register() -> None:
    register_key_holder(
        KeyHolderModel(
            model=SignedForm,
            messages=RotationMessages(
                per_key=_("Sleutel %(key)s: %(count)d ondertekend(e) formulier(en)"),
                dry_run=_(
                    "Proefrun: %(count)d ondertekend(e) formulier(en) zouden opnieuw verpakt "
                    "worden met %(key)s."
                ),
                done=_(
                    "%(count)d ondertekend(e) formulier(en) opnieuw verpakt met %(key)s in "
                    "%(batches)d batch(es)."
                ),
            ),
            audit=_rotation_audited,
        )
    )

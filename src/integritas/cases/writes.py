"""The steps every write of a case shares: the permission check, the row lock, and rows
whose encrypted fields are bound to the row itself (services in every room use them)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from . import vault
from .access import person_index
from .models import Case, InvolvedPerson


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def lock(case: Case) -> Case:
    locked = Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)
    # Keep the unwrapped data key of the caller's object.
    if hasattr(case, "_integritas_data_key"):
        locked._integritas_data_key = case._integritas_data_key  # type: ignore[attr-defined]
    return locked


def create_sealed[Sealed: models.Model](
    model: type[Sealed], case: Case, sealed: dict[str, tuple[str, str]], **fields: Any
) -> Sealed:
    """Create a row of `case` whose encrypted fields are bound to the row itself.

    The associated data of each ciphertext names the row's primary key, so the row is
    written first with empty ciphertexts and sealed right after, in the caller's
    transaction. `sealed` maps each encrypted field to (vault context, plaintext).
    """
    row = model._default_manager.create(case=case, **fields, **dict.fromkeys(sealed, b""))
    for name, (context, text) in sealed.items():
        setattr(row, name, vault.seal(case, context, text, row=row.pk))
    row.save(update_fields=list(sealed))
    return row


def create_involved(
    case: Case, employee: Any, description: str, *, ended_handlers: list[int] | None = None
) -> InvolvedPerson:
    """Name `employee` as involved in `case`, in the caller's transaction: the blind index
    that keeps them away from it, and sealed under the case's key who it is and which
    handler rows the link ended (`ended_handlers`), for the handlers' page and the undo."""
    person = create_sealed(
        InvolvedPerson,
        case,
        {"description_enc": ("involved", description)},
        blind_index=person_index(employee.organisation.slug, employee.personnel_number),
    )
    link = {"employee": employee.pk, "handlers": sorted(ended_handlers or [])}
    person.link_enc = vault.seal_json(case, "involved_link", link, row=person.pk)
    person.save(update_fields=["link_enc"])
    return person

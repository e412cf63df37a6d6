"""What the document centre offers the composed pages: the navigation, the employee's
"Nieuwe gedragscode lezen en bevestigen" on the home page and the gedragscode part of
the dossier on "Mijn integriteit"."""

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from integritas.accounts.selectors import user_roles
from integritas.core.contributions import (
    WORK_COUNT_CAP,
    Contribution,
    DossierSection,
    NavEntry,
    WorkList,
    WorkSummary,
)
from integritas.notifications.scans import ScanReport

from . import selectors, services


def _acknowledge_url(version: Any) -> str:
    return reverse("policies:acknowledge", args=[version.document_id, version.number])


_PENDING_ATTR = "_integritas_pending_code_versions"
#: What the work list and the dossier show of a version that waits (not its text).
_PENDING_FIELDS = ("document_id", "number", "effective_date", "document__title")


def _pending_versions(employee: Any) -> list[Any]:
    """The gedragscode versions `employee` has yet to acknowledge, read once per request:
    the work list and the dossier of the same home page both show them."""
    pending = getattr(employee, _PENDING_ATTR, None)
    if pending is None:
        pending = list(
            selectors.pending_code_versions(employee).only(*_PENDING_FIELDS)[:WORK_COUNT_CAP]
        )
        setattr(employee, _PENDING_ATTR, pending)
    return pending


def work_lists(user: Any) -> Iterator[WorkList]:
    """One row: the gedragscode versions the employee has yet to acknowledge (one query)."""
    employee = user_roles(user).employee
    if employee is None or employee.is_former:
        return
    pending = _pending_versions(employee)
    yield WorkList(
        title=gettext_lazy("Gedragscode"),
        rows=[
            WorkSummary(
                gettext_lazy("Nieuwe gedragscode lezen en bevestigen"),
                len(pending),
                pending[0].effective_date if pending else None,
                _acknowledge_url(pending[0]) if pending else "",
            )
        ],
        empty_text=gettext_lazy("U heeft de geldende gedragscode bevestigd."),
        order=435,
    )


def dossier_context(user: Any, employee: Any) -> dict[str, Any] | None:
    """The version the employee acknowledged last, and the versions that wait (read with
    the work list's); None for an account without an employee."""
    if employee is None:
        return None
    pending = _pending_versions(employee)[:5]
    latest = selectors.latest_acknowledgement(employee)
    if latest is None and not pending:
        return None
    return {
        "latest": latest,
        "pending": [(version, _acknowledge_url(version)) for version in pending],
    }


CONTRIBUTION = Contribution(
    app="policies",
    navigation=(
        NavEntry(
            gettext_lazy("Documenten"), "policies:document_list", "policies.view_documents", 140
        ),
        NavEntry(
            gettext_lazy("Gedragscode"), "policies:code_of_conduct", "policies.view_documents", 141
        ),
        NavEntry(
            gettext_lazy("Gedragscode bevestigd"),
            "policies:acknowledgements",
            "policies.view_acknowledgements",
            470,
        ),
    ),
    work_lists=work_lists,
    dossier_sections=(
        DossierSection(
            key="code_of_conduct",
            title=gettext_lazy("Gedragscode"),
            template_name="policies/dossier_section.html",
            context=dossier_context,
            order=150,
        ),
    ),
)


def retention_scan(dry_run: bool) -> ScanReport:
    """R-DP-2: acknowledgements of the gedragscode 2 years after employment ended."""
    count = services.acknowledgements_purge_expired(dry_run=dry_run)
    held = services.acknowledgements_held()
    lines = (
        [
            gettext(
                "Bewaarplicht: %(count)d bevestiging(en) van de gedragscode van "
                "oud-medewerkers blijven bewaard."
            )
            % {"count": held}
        ]
        if held
        else []
    )
    if dry_run:
        summary = gettext(
            "Proefrun: %(count)d bevestiging(en) van de gedragscode van oud-medewerkers "
            "zouden worden verwijderd."
        )
    else:
        summary = gettext(
            "%(count)d bevestiging(en) van de gedragscode van oud-medewerkers verwijderd."
        )
    return ScanReport(lines=lines, count=count, summary=summary % {"count": count})

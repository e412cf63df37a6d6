"""Every write of the document centre: keyword-only, atomic, permission-checked, audited.

Bad input raises ValidationError with a Dutch message (the view shows it on the form);
a refused action raises PermissionDenied. Audit events name ids only, never text.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles
from integritas.audit.constants import Origin
from integritas.audit.services import audit_record
from integritas.organisations.events import code_of_conduct_acknowledged
from integritas.organisations.models import Employee, Organisation, Region
from integritas.organisations.selectors import personnel_records_expired, personnel_records_held

from .constants import (
    ACKNOWLEDGEMENT_RETENTION_YEARS,
    CONSENT_REQUIRED_KINDS,
    CONTENT_MAX_LENGTH,
    AdoptionBody,
    DocumentKind,
    VersionStatus,
)
from .models import Acknowledgement, AdoptionStep, Document, DocumentVersion
from .permissions import keeps_document, keeps_organisation, keeps_region


def _keeper_role(user: Any, document: Document) -> str:
    roles = user_roles(user)
    if document.region_id is not None:
        for role in (Role.WORKING_GROUP, Role.INTEGRITY_COORDINATOR):
            if document.region_id in roles.region_ids(role):
                return role
    for role in (Role.INTEGRITY_OFFICER, Role.HRM):
        if roles.has(role, document.organisation_id):
            return role
    return ""


def _audit(action: str, actor: Any, document: Document, obj: Any) -> None:
    audit_record(
        action=action,
        actor=actor,
        actor_role=_keeper_role(actor, document),
        obj=obj,
        organisation=document.organisation,
    )


def _require_keeper(actor: Any, document: Document) -> None:
    if not keeps_document(actor, document):
        raise PermissionDenied


def _clean_content(content: str) -> str:
    content = content.replace("\r\n", "\n").strip()
    if not content:
        raise ValidationError({"content": _("Vul de tekst van de versie in.")})
    if len(content) > CONTENT_MAX_LENGTH:
        raise ValidationError(
            {
                "content": _("De tekst is te lang (ten hoogste %(max)d tekens).")
                % {"max": CONTENT_MAX_LENGTH}
            }
        )
    return content


def document_create(
    *,
    actor: Any,
    kind: str,
    title: str,
    organisation: Organisation | None = None,
    region: Region | None = None,
    base: Document | None = None,
) -> Document:
    """A new document: regional (region) or local (organisation); a local one with a
    regional `base` is the organisation's addition to it."""
    title = " ".join(title.split())
    if (organisation is None) == (region is None):
        raise ValidationError(_("Kies een organisatie of de regio."))
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Kies een soort document.")})
    if not title:
        raise ValidationError({"title": _("Vul een titel in.")})
    if organisation is not None and not keeps_organisation(actor, organisation.pk):
        raise PermissionDenied
    if region is not None and not keeps_region(actor, region.pk):
        raise PermissionDenied
    if base is not None:
        if organisation is None or base.region_id != organisation.region_id or base.base_id:
            raise ValidationError(
                _("Een aanvulling hoort bij een regionaal document van de eigen regio.")
            )
        kind = base.kind
    with transaction.atomic():
        if (
            base is not None
            and Document.objects.filter(base=base, organisation=organisation).exists()
        ):
            raise ValidationError(_("Deze organisatie heeft al een aanvulling op dit document."))
        document = Document.objects.create(
            kind=kind, title=title, organisation=organisation, region=region, base=base
        )
        _audit("policies.document_create", actor, document, document)
    return document


def version_create(
    *, actor: Any, document: Document, content: str, change_summary: str = ""
) -> DocumentVersion:
    """A new concept version, numbered after the last one."""
    _require_keeper(actor, document)
    content = _clean_content(content)
    with transaction.atomic():
        Document.objects.select_for_update().filter(pk=document.pk).first()
        if document.versions.filter(status=VersionStatus.CONCEPT).exists():
            raise ValidationError(
                _("Er is al een conceptversie. Wijzig die of stel haar eerst vast.")
            )
        last = document.versions.aggregate(last=Max("number"))["last"] or 0
        version = DocumentVersion.objects.create(
            document=document,
            number=last + 1,
            content=content,
            change_summary=" ".join(change_summary.split()),
        )
        _audit("policies.version_create", actor, document, version)
    return version


def version_update(
    *, actor: Any, version: DocumentVersion, content: str, change_summary: str = ""
) -> DocumentVersion:
    document = version.document
    _require_keeper(actor, document)
    content = _clean_content(content)
    with transaction.atomic():
        locked = DocumentVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != VersionStatus.CONCEPT:
            raise ValidationError(_("Alleen een conceptversie kan worden gewijzigd."))
        locked.content = content
        locked.change_summary = " ".join(change_summary.split())
        locked.save(update_fields=["content", "change_summary", "updated_at"])
        _audit("policies.version_update", actor, document, locked)
    return locked


def adoption_step_add(
    *,
    actor: Any,
    version: DocumentVersion,
    body: str,
    decided_on: datetime.date,
    decided_by: str,
    consent_reference: str = "",
) -> AdoptionStep:
    """One step of the adoption trail; the works council's step names its consent."""
    document = version.document
    _require_keeper(actor, document)
    decided_by = " ".join(decided_by.split())
    consent_reference = consent_reference.strip()
    errors: dict[str, str] = {}
    if body not in AdoptionBody.values:
        errors["body"] = _("Kies het orgaan dat besloot.")
    if not decided_by:
        errors["decided_by"] = _("Vul in wie het besluit nam.")
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("Een besluit kan niet in de toekomst liggen.")
    if body == AdoptionBody.WORKS_COUNCIL and not consent_reference:
        errors["consent_reference"] = _("Vul het kenmerk van de instemming van de OR in.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = DocumentVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status == VersionStatus.EXPIRED:
            raise ValidationError(_("Bij een vervallen versie komen geen besluiten meer."))
        step = AdoptionStep.objects.create(
            version=locked,
            body=body,
            decided_on=decided_on,
            decided_by=decided_by,
            consent_reference=consent_reference,
            recorded_by=actor,
        )
        _audit("policies.adoption_step_add", actor, document, step)
    return step


def version_adopt(
    *, actor: Any, version: DocumentVersion, effective_date: datetime.date
) -> DocumentVersion:
    """Vaststellen: the concept becomes the document's current version from
    `effective_date`; the version current until now becomes vervallen. The adoption trail
    must say who adopted it; a reporting regulation needs the works council's consent
    with its reference (R-WBK-11)."""
    document = version.document
    _require_keeper(actor, document)
    with transaction.atomic():
        locked = DocumentVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != VersionStatus.CONCEPT:
            raise ValidationError(_("Alleen een conceptversie kan worden vastgesteld."))
        steps = list(locked.adoption_steps.all())
        if not steps:
            raise ValidationError(
                _("Leg eerst in het besluitvormingsspoor vast wie deze versie heeft vastgesteld.")
            )
        if document.kind in CONSENT_REQUIRED_KINDS and not any(
            step.body == AdoptionBody.WORKS_COUNCIL and step.consent_reference for step in steps
        ):
            raise ValidationError(
                _(
                    "De ondernemingsraad moet met deze regeling instemmen: leg de instemming "
                    "met haar kenmerk vast voordat u de versie vaststelt."
                )
            )
        now = timezone.now()
        for previous in DocumentVersion.objects.select_for_update().filter(
            document=document, status=VersionStatus.ADOPTED
        ):
            previous.status = VersionStatus.EXPIRED
            previous.expired_at = now
            previous.save(update_fields=["status", "expired_at", "updated_at"])
            _audit("policies.version_expire", actor, document, previous)
        locked.status = VersionStatus.ADOPTED
        locked.effective_date = effective_date
        locked.adopted_at = now
        locked.save(update_fields=["status", "effective_date", "adopted_at", "updated_at"])
        _audit("policies.version_adopt", actor, document, locked)
    return locked


def code_of_conduct_acknowledge(
    *, actor: Any, version: DocumentVersion, on: datetime.date | None = None
) -> Acknowledgement:
    """The employee behind `actor` received and read this version of the gedragscode and
    will comply with it. Sends organisations.events.code_of_conduct_acknowledged inside
    the transaction (the onboarding duty listens)."""
    employee = user_roles(actor).employee
    if employee is None:
        raise PermissionDenied
    return acknowledgement_record(employee=employee, version=version, on=on, actor=actor)


def acknowledgement_record(
    *,
    employee: Employee,
    version: DocumentVersion,
    on: datetime.date | None = None,
    actor: Any = None,
) -> Acknowledgement:
    """Record one acknowledgement (the employee's own, or loaded by the demo)."""
    document = version.document
    if (
        version.status != VersionStatus.ADOPTED
        or document.kind != DocumentKind.CODE_OF_CONDUCT
        or document.base_id is not None
        or not (
            document.organisation_id == employee.organisation_id
            or document.region_id == employee.organisation.region_id
        )
    ):
        raise ValidationError(_("Deze versie van de gedragscode kan niet worden bevestigd."))
    if employee.is_former:
        raise ValidationError(_("Alleen wie hier werkt bevestigt de gedragscode."))
    on = on or timezone.localdate()
    try:
        with transaction.atomic():
            if Acknowledgement.objects.filter(employee=employee, version=version).exists():
                raise IntegrityError
            ack = Acknowledgement.objects.create(
                employee=employee,
                organisation_id=employee.organisation_id,
                version=version,
                acknowledged_on=on,
            )
            audit_record(
                action="policies.code_of_conduct_acknowledge",
                actor=actor,
                actor_role=Role.EMPLOYEE,
                obj=ack,
                organisation=employee.organisation,
            )
            code_of_conduct_acknowledged.send(
                sender=Acknowledgement,
                employee_id=employee.pk,
                version_id=version.pk,
                acknowledged_on=on,
            )
    except IntegrityError as error:
        raise ValidationError(_("U heeft deze versie al bevestigd.")) from error
    return ack


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def acknowledgements_purge_expired(*, dry_run: bool, today: datetime.date | None = None) -> int:
    """R-DP-2: the acknowledgements of people whose employment ended more than
    ACKNOWLEDGEMENT_RETENTION_YEARS ago are deleted (the personnel-file retention their
    duties follow); one audit event with the count per organisation. Those of people under
    a legal hold stay (acknowledgements_held counts them). Idempotent."""
    today = today or timezone.localdate()
    cutoff = _years_before(today, ACKNOWLEDGEMENT_RETENTION_YEARS)
    expired = Acknowledgement.objects.filter(personnel_records_expired(cutoff))
    if dry_run:
        return expired.count()
    with transaction.atomic():
        per_org: dict[int, list[int]] = {}
        for pk, organisation_id in expired.values_list("pk", "organisation_id"):
            per_org.setdefault(organisation_id, []).append(pk)
        for organisation_id, pks in sorted(per_org.items()):
            for start in range(0, len(pks), 2000):
                Acknowledgement.objects.filter(pk__in=pks[start : start + 2000]).delete()
            audit_record(
                action="policies.acknowledgements_purged",
                object_type="policies.acknowledgement",
                object_id=len(pks),
                organisation=Organisation(pk=organisation_id),
                origin=Origin.SYSTEM,
            )
    return sum(len(pks) for pks in per_org.values())


def acknowledgements_held(*, today: datetime.date | None = None) -> int:
    """R-DP-2: the expired acknowledgements that a legal hold on their employee keeps."""
    today = today or timezone.localdate()
    cutoff = _years_before(today, ACKNOWLEDGEMENT_RETENTION_YEARS)
    return Acknowledgement.objects.filter(personnel_records_held(cutoff)).count()

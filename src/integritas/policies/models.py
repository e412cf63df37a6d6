"""The document centre: documents, their versions, adoption steps and acknowledgements.

A document is regional (held for a region: the base text the Leidse regio shares) or
local (held for one organisation). A local document that names a regional one as its
`base` is that organisation's addition to it ("eigen inkleuring"): its readers see the
regional text with their own organisation's addition below it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from integritas.core.models import BaseModel

from .constants import AdoptionBody, DocumentKind, VersionStatus


class Document(BaseModel):
    region = models.ForeignKey(
        "organisations.Region",
        verbose_name=_("regio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("soort"), max_length=32, choices=DocumentKind.choices)
    title = models.CharField(_("titel"), max_length=200)
    base = models.ForeignKey(
        "self",
        verbose_name=_("aanvulling op"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="additions",
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=True, organisation__isnull=False)
                | Q(region__isnull=False, organisation__isnull=True),
                name="policies_document_one_scope",
            ),
            # Only a local document adds to another one.
            models.CheckConstraint(
                condition=Q(base__isnull=True) | Q(organisation__isnull=False),
                name="policies_document_addition_is_local",
            ),
            models.UniqueConstraint(
                fields=["organisation", "base"],
                condition=Q(base__isnull=False),
                name="policies_document_one_addition",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "kind", "title"], name="policies_doc_region_idx"),
            models.Index(fields=["organisation", "kind", "title"], name="policies_doc_org_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_regional(self) -> bool:
        return self.region_id is not None

    @property
    def is_addition(self) -> bool:
        return self.base_id is not None


class DocumentVersion(BaseModel):
    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("versie"))
    status = models.CharField(
        _("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.CONCEPT
    )
    effective_date = models.DateField(_("ingangsdatum"), null=True, blank=True)
    content = models.TextField(_("tekst (Markdown)"))
    change_summary = models.CharField(
        _("samenvatting van de wijzigingen"), max_length=500, blank=True
    )
    adopted_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    expired_at = models.DateTimeField(_("vervallen op"), null=True, blank=True)

    class Meta:
        verbose_name = _("versie")
        verbose_name_plural = _("versies")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="policies_version_number"),
            # At most one adopted version per document: adopting the next one expires it.
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status=VersionStatus.ADOPTED),
                name="policies_version_one_adopted",
            ),
            models.CheckConstraint(
                condition=Q(status=VersionStatus.CONCEPT) | Q(effective_date__isnull=False),
                name="policies_version_adopted_has_date",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="policies_version_number_min"),
        ]
        indexes = [
            models.Index(fields=["status", "document"], name="policies_version_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class AdoptionStep(BaseModel):
    """One step of a version's adoption trail: which body decided, when, and who says so."""

    version = models.ForeignKey(
        DocumentVersion,
        verbose_name=_("versie"),
        on_delete=models.PROTECT,
        related_name="adoption_steps",
    )
    body = models.CharField(_("orgaan"), max_length=32, choices=AdoptionBody.choices)
    decided_on = models.DateField(_("datum besluit"))
    decided_by = models.CharField(_("besloten door"), max_length=200)
    consent_reference = models.CharField(_("kenmerk instemming OR"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastgelegd door"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")
        ordering = ["decided_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body=AdoptionBody.WORKS_COUNCIL) | ~Q(consent_reference=""),
                name="policies_step_consent_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_body_display()} {self.decided_on}"


class Acknowledgement(BaseModel):
    """An employee received, read and will comply with one version of the gedragscode."""

    employee = models.ForeignKey(
        "organisations.Employee",
        verbose_name=_("medewerker"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    #: The employee's organisation, kept so that HRM's counts read one index.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.ForeignKey(
        DocumentVersion,
        verbose_name=_("versie"),
        on_delete=models.PROTECT,
        related_name="acknowledgements",
    )
    acknowledged_on = models.DateField(_("bevestigd op"))

    class Meta:
        verbose_name = _("bevestiging")
        verbose_name_plural = _("bevestigingen")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "version"], name="policies_acknowledgement_once"
            ),
        ]
        indexes = [
            models.Index(fields=["version", "organisation"], name="policies_ack_version_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} / {self.version_id}"

"""Region, organisations with their local settings, org units, functions and employees."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.core.models import BaseModel, OrganisationOwned, OrganisationOwnedQuerySet

from .constants import EmploymentType, OrganisationKind, ScreeningProfile


class Region(BaseModel):
    """Cooperating organisations that share one Meldpunt (R-LR-1)."""

    slug = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("naam"), max_length=200)

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(BaseModel):
    """A municipality or shared service organisation, with its "eigen inkleuring"."""

    region = models.ForeignKey(
        Region, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="organisations"
    )
    slug = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=32, choices=OrganisationKind.choices)
    case_prefix = models.CharField(
        _("voorvoegsel zaaknummer"), max_length=5, unique=True, help_text=_("Bijvoorbeeld LDP.")
    )
    reporting_regulation_name = models.CharField(_("naam meldregeling"), max_length=200, blank=True)
    reporting_regulation_year = models.PositiveSmallIntegerField(
        _("jaar meldregeling"), null=True, blank=True
    )
    works_council_consent_reference = models.CharField(
        _("kenmerk instemming OR met de meldregeling"), max_length=200, blank=True
    )
    gift_threshold = models.DecimalField(
        _("grens geschenken (euro)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("50.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    anonymous_reporting_enabled = models.BooleanField(_("anoniem melden mogelijk"), default=False)
    worker_count = models.PositiveIntegerField(
        _("aantal werkenden"),
        default=0,
        help_text=_("Vanaf 50 werkenden is een interne meldprocedure verplicht (Wbk)."),
    )
    contact_email = models.EmailField(_("e-mailadres integriteit"), blank=True)
    contact_phone = models.CharField(_("telefoonnummer integriteit"), max_length=40, blank=True)
    postal_address = models.TextField(_("postadres"), blank=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gift_threshold__gte=0), name="organisation_gift_threshold_positive"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def internal_procedure_required(self) -> bool:
        """R-WBK-1: the threshold of 50 workers."""
        return self.worker_count >= settings.INTEGRITAS_WBK_WORKER_THRESHOLD


class CoreValue(OrganisationOwned):
    """A kernwaarde of the organisation with its explanation (seed 3.1)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="core_values"
    )
    name = models.CharField(_("kernwaarde"), max_length=100)
    text = models.TextField(_("toelichting"))
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("kernwaarde")
        verbose_name_plural = _("kernwaarden")
        ordering = ["organisation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="core_value_unique")
        ]

    def __str__(self) -> str:
        return self.name


class OrgUnit(OrganisationOwned):
    """An afdeling or team; units form a tree within one organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="org_units"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("naam"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("bovenliggende afdeling"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    managers = models.ManyToManyField(  # type: ignore[var-annotated]
        "Employee", verbose_name=_("leidinggevenden"), blank=True, related_name="managed_units"
    )

    class Meta:
        verbose_name = _("afdeling")
        verbose_name_plural = _("afdelingen")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="org_unit_code_unique"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="org_unit_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Function(OrganisationOwned):
    """A job (functie) with its integrity profile (seed 3.2.3, 3.2.4; R-AW-7, R-AW-8)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="functions"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("naam"), max_length=200)
    vulnerable_activities = models.JSONField(_("kwetsbare activiteiten"), default=list, blank=True)
    screening_profile = models.CharField(
        _("VOG-screening"),
        max_length=16,
        choices=ScreeningProfile.choices,
        default=ScreeningProfile.NONE,
    )
    designated_side_activity_publication = models.BooleanField(
        _("aangewezen: publicatie nevenwerkzaamheden"), default=False
    )
    designated_financial_interests = models.BooleanField(
        _("aangewezen: melding financiële belangen"), default=False
    )
    notes = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("functie")
        verbose_name_plural = _("functies")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="function_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_vulnerable(self) -> bool:
        return bool(self.vulnerable_activities)


class EmployeeQuerySet(OrganisationOwnedQuerySet["Employee"]):
    def current(self, on: datetime.date | None = None) -> "EmployeeQuerySet":
        """People whose employment has not ended (former employees are kept, seed 5.1)."""
        today = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))


EmployeeManager = models.Manager.from_queryset(EmployeeQuerySet)


class Employee(OrganisationOwned):
    """A person working for the organisation, as the HR system knows them."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="employees"
    )
    personnel_number = models.CharField(_("personeelsnummer"), max_length=40)
    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name = models.CharField(_("achternaam"), max_length=150)
    email = models.EmailField(_("e-mailadres"), blank=True)
    employment_type = models.CharField(
        _("dienstverband"), max_length=16, choices=EmploymentType.choices
    )
    start_date = models.DateField(_("datum in dienst"))
    end_date = models.DateField(_("datum uit dienst"), null=True, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("afdeling"),
        on_delete=models.PROTECT,
        related_name="employees",
        null=True,
        blank=True,
    )
    function = models.ForeignKey(
        Function,
        verbose_name=_("functie"),
        on_delete=models.PROTECT,
        related_name="employees",
        null=True,
        blank=True,
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("leidinggevende"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_reports",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
    )
    # R-DP-2: a legal hold keeps the employee's personnel records (registrations, duties
    # and signed forms, acknowledgements) from the retention run while it lasts, for a
    # dispute, an investigation or a court case. Set and lifted by
    # services.employee_set_legal_hold, audited; lifting clears the three fields below.
    legal_hold = models.BooleanField(_("bewaarplicht (legal hold)"), default=False)
    legal_hold_reason = models.TextField(_("reden van de bewaarplicht"), blank=True)
    legal_hold_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bewaarplicht ingesteld door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    legal_hold_set_at = models.DateTimeField(_("bewaarplicht ingesteld op"), null=True, blank=True)

    objects = EmployeeManager()

    class Meta:
        verbose_name = _("medewerker")
        verbose_name_plural = _("medewerkers")
        ordering = ["organisation", "last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "personnel_number"], name="employee_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="employee_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(manager=models.F("pk")), name="employee_not_own_manager"
            ),
            models.CheckConstraint(
                condition=Q(legal_hold=False)
                | (~Q(legal_hold_reason="") & Q(legal_hold_set_at__isnull=False)),
                name="employee_legal_hold_has_reason",
            ),
        ]
        indexes = [
            # The HRM list's order and keyset pages (organisations.selectors.employees_page);
            # on SQLite it also holds both names for the name search.
            models.Index(
                fields=["organisation", "last_name", "first_name", "id"],
                name="employee_org_name_idx",
            ),
            # Personnel number search on SQLite: a range on the upper-cased number.
            # PostgreSQL searches names and numbers with trigram (GIN) indexes that a
            # migration creates there only (0002), as SQLite knows no GIN.
            models.Index(
                F("organisation"), Upper("personnel_number"), name="employee_org_number_idx"
            ),
            # HRM's "HR-gegevens aanvullen" on the home page reads the few employees the
            # import left without a unit or a function (accounts.selectors.employees_without).
            models.Index(
                fields=["organisation", "created_at"],
                condition=Q(org_unit__isnull=True),
                name="employee_without_unit_idx",
            ),
            models.Index(
                fields=["organisation", "created_at"],
                condition=Q(function__isnull=True),
                name="employee_without_function_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_former(self) -> bool:
        return self.end_date is not None and self.end_date < timezone.localdate()

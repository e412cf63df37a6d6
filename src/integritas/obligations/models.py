"""Duties per employee, the organisation's rules for them, reminders and signed forms."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from integritas.core.models import BaseModel, OrganisationOwned
from integritas.organisations.constants import ScreeningProfile

from .constants import (
    DEFAULT_AFFIRMATION_TEXT,
    DEFAULT_DECLARATION_TEXT,
    DEFAULT_OATH_TEXT,
    DutyKind,
    DutyStatus,
    OathForm,
    default_rules,
)


class ObligationSettings(BaseModel):
    """An organisation's rules for duties ("eigen inkleuring"); defaults when absent."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="obligation_settings",
    )
    #: kind -> the employment types that get it (constants.DEFAULT_RULES).
    rules = models.JSONField(_("verplichtingen per dienstverband"), default=default_rules)
    vog_validity_months = models.PositiveSmallIntegerField(
        _("geldigheid VOG bij indiensttreding (maanden)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    vog_rescreen_years = models.PositiveSmallIntegerField(
        _("herscreening kwetsbare functies (jaren, 0 = niet)"),
        default=0,
        validators=[MaxValueValidator(20)],
    )
    training_window_months = models.PositiveSmallIntegerField(
        _("training informatiebeveiliging binnen (maanden)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    onboarding_days = models.PositiveSmallIntegerField(
        _("eed of belofte, gedragscode en handboek binnen (dagen)"),
        default=30,
        validators=[MaxValueValidator(365)],
    )
    oath_text_eed = models.TextField(_("tekst van de eed"), default=DEFAULT_OATH_TEXT)
    oath_text_belofte = models.TextField(
        _("tekst van de belofte"), default=DEFAULT_AFFIRMATION_TEXT
    )
    declaration_text = models.TextField(
        _("tekst van de integriteitsverklaring"), default=DEFAULT_DECLARATION_TEXT
    )
    #: Raised by the settings service whenever declaration_text changes: an employee's
    #: acknowledgement records the version they read.
    declaration_version = models.PositiveIntegerField(
        _("versie van de integriteitsverklaring"), default=1
    )

    class Meta:
        verbose_name = _("instellingen verplichtingen")
        verbose_name_plural = _("instellingen verplichtingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(vog_validity_months__gte=1), name="obligation_vog_window_positive"
            ),
            models.CheckConstraint(
                condition=Q(training_window_months__gte=1),
                name="obligation_training_window_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Duty(OrganisationOwned):
    """One duty of one employee: what, until when, and how it was fulfilled."""

    employee = models.ForeignKey(
        "organisations.Employee",
        verbose_name=_("medewerker"),
        on_delete=models.CASCADE,
        related_name="duties",
    )
    kind = models.CharField(_("soort"), max_length=24, choices=DutyKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=DutyStatus.choices, default=DutyStatus.OPEN
    )
    #: 0 for a one-off duty; the year for a yearly one or a VOG re-screening.
    period = models.PositiveSmallIntegerField(_("jaar"), default=0)
    due_date = models.DateField(_("uiterlijk"))
    completed_on = models.DateField(_("afgerond op"), null=True, blank=True)
    closed_on = models.DateField(_("vervallen op"), null=True, blank=True)
    # VOG: the function it screens for, with the profile and areas at the time.
    function = models.ForeignKey(
        "organisations.Function",
        verbose_name=_("functie"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    screening_profile = models.CharField(
        _("screeningsprofiel"), max_length=16, choices=ScreeningProfile.choices, blank=True
    )
    screening_areas = models.JSONField(_("screeningsgebieden"), default=list, blank=True)
    vog_issued_on = models.DateField(_("VOG afgegeven op"), null=True, blank=True)
    # Eed of belofte (R-AW-4).
    oath_form = models.CharField(
        _("eed of belofte"), max_length=8, choices=OathForm.choices, blank=True
    )
    administered_by = models.CharField(_("afgenomen door"), max_length=200, blank=True)
    code_of_conduct_version_id = models.PositiveIntegerField(
        _("versie gedragscode"), null=True, blank=True
    )
    #: Integriteitsverklaring acknowledged in the application: the version of the
    #: organisation's text that was read (empty when it was signed on paper).
    declaration_version = models.PositiveIntegerField(
        _("versie integriteitsverklaring"), null=True, blank=True
    )
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastgelegd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("verplichting")
        verbose_name_plural = _("verplichtingen")
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "kind", "period"],
                condition=~Q(kind=DutyKind.VOG),
                name="duty_once_per_period",
            ),
            models.UniqueConstraint(
                fields=["employee", "function", "period"],
                condition=Q(kind=DutyKind.VOG),
                name="duty_vog_once_per_function",
            ),
            models.CheckConstraint(
                condition=~Q(status=DutyStatus.DONE) | Q(completed_on__isnull=False),
                name="duty_done_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=DutyStatus.CLOSED) | Q(closed_on__isnull=False),
                name="duty_closed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(kind=DutyKind.OATH, status=DutyStatus.DONE)
                | (~Q(oath_form="") & ~Q(administered_by="")),
                name="duty_oath_recorded",
            ),
            models.CheckConstraint(
                condition=Q(declaration_version__isnull=True) | Q(kind=DutyKind.DECLARATION),
                name="duty_declaration_version_only_for_declarations",
            ),
        ]
        indexes = [
            # HRM's list and the overdue / due-soon work lists, per status in date order.
            models.Index(
                fields=["organisation", "status", "due_date", "id"], name="duty_org_status_idx"
            ),
            models.Index(
                fields=["organisation", "kind", "status", "due_date", "id"],
                name="duty_org_kind_idx",
            ),
            # "Alle": every status by due date.
            models.Index(fields=["organisation", "due_date", "id"], name="duty_org_due_idx"),
            # The employee's dossier and a team's list.
            models.Index(fields=["employee", "status", "due_date"], name="duty_employee_idx"),
            # The reminder scan over every organisation.
            models.Index(fields=["status", "due_date"], name="duty_status_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.due_date:%d-%m-%Y})"


class DutyReminder(models.Model):
    """A reminder sent for a duty: once per stage, so a second run sends nothing."""

    duty = models.ForeignKey(Duty, on_delete=models.CASCADE, related_name="reminders")
    stage = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["duty", "stage"], name="duty_reminder_once")]

    def __str__(self) -> str:
        return f"{self.duty_id}:{self.stage}"


class SignedForm(OrganisationOwned):
    """The signed scan of an oath form or declaration (evidence), a key holder: the file
    is sealed in chunks under this row's own data key (core/files, core/encryption)."""

    duty = models.OneToOneField(Duty, on_delete=models.CASCADE, related_name="signed_form")
    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key_id = models.CharField(max_length=32)
    wrapped_key = models.BinaryField()
    storage_name = models.CharField(max_length=200, unique=True)
    filename_enc = models.BinaryField()
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    scan_status = models.CharField(max_length=12)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("ondertekend formulier")
        verbose_name_plural = _("ondertekende formulieren")

    def __str__(self) -> str:
        return str(self.reference)

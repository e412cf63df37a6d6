"""Risk analysis of functions (kwetsbare functies, seed 3.2.4): assessments, the amplifying
factors of organisations and units, and measures with owners and review dates."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from integritas.core.models import OrganisationOwned

from .constants import (
    ACTIVITIES,
    AssessmentStatus,
    MeasureKind,
    MeasureStatus,
    RiskLevel,
    Score,
)


def _score(label: Any) -> "models.PositiveSmallIntegerField[int, int]":
    return models.PositiveSmallIntegerField(label, choices=Score.choices, default=Score.NONE)


class AmplifyingFactors(OrganisationOwned):
    """The amplifying factors of an organisation (org_unit empty) or one of its units.

    Judged for the organisation or unit as a whole; nothing here is about a person.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    org_unit = models.ForeignKey(
        "organisations.OrgUnit",
        verbose_name=_("afdeling"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    complexity = models.BooleanField(_("Complexiteit"), default=False)
    changes = models.BooleanField(_("Veranderingen"), default=False)
    problem_history = models.BooleanField(_("Probleemhistorie"), default=False)
    management_style = models.BooleanField(_("Managementstijl"), default=False)
    circumstances = models.BooleanField(_("Omstandigheden in de organisatie"), default=False)
    low_social_cohesion = models.BooleanField(_("Weinig sociale binding"), default=False)

    class Meta:
        verbose_name = _("versterkende factoren")
        verbose_name_plural = _("versterkende factoren")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(org_unit__isnull=True),
                name="risks_factors_one_per_organisation",
            ),
            models.UniqueConstraint(fields=["org_unit"], name="risks_factors_one_per_unit"),
        ]

    def __str__(self) -> str:
        return f"factors {self.organisation_id}/{self.org_unit_id or '-'}"


class RiskAssessment(OrganisationOwned):
    """The assessment of one function: a score per vulnerable activity, the derived level
    (kept for counting and the heat map), an override by a person with a reason, and
    whether its consequences for the function's profile were applied."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    function = models.OneToOneField(
        "organisations.Function",
        verbose_name=_("functie"),
        on_delete=models.CASCADE,
        related_name="risk_assessment",
    )
    org_unit = models.ForeignKey(
        "organisations.OrgUnit",
        verbose_name=_("afdeling"),
        help_text=_(
            "De versterkende factoren van deze afdeling tellen mee, anders die van de organisatie."
        ),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    score_innen = _score(_("Innen"))
    score_uitbesteden = _score(_("Uitbesteden"))
    score_uitkeren = _score(_("Uitkeren"))
    score_verlenen = _score(_("Verlenen"))
    score_handhaven = _score(_("Handhaven"))
    score_geld = _score(_("Beheer van geld"))
    score_goederen = _score(_("Beheer van goederen"))
    score_vastgoed = _score(_("Vastgoed"))
    score_informatie = _score(_("Informatie"))
    derived_level = models.PositiveSmallIntegerField(
        _("afgeleid risiconiveau"), choices=RiskLevel.choices, default=RiskLevel.NONE
    )
    override_level = models.PositiveSmallIntegerField(
        _("aangepast risiconiveau"), choices=RiskLevel.choices, null=True, blank=True
    )
    override_reason = models.TextField(_("reden van aanpassing"), blank=True)
    #: The level that counts: the override where a person set one, else the derived one.
    level = models.PositiveSmallIntegerField(
        _("risiconiveau"), choices=RiskLevel.choices, default=RiskLevel.NONE
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    note = models.TextField(_("toelichting"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_on = models.DateField(_("vastgesteld op"), null=True, blank=True)
    profile_applied_on = models.DateField(_("gevolgen doorgevoerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("risicoanalyse van een functie")
        verbose_name_plural = _("risicoanalyses van functies")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(override_level__isnull=True) | ~Q(override_reason=""),
                name="risks_override_needs_reason",
            ),
            models.CheckConstraint(
                condition=Q(level__lte=RiskLevel.HIGH) & Q(derived_level__lte=RiskLevel.HIGH),
                name="risks_level_range",
            ),
        ]
        indexes: ClassVar = [
            # The heat map and the list of one organisation, and the regional aggregate.
            models.Index(fields=["organisation", "level"], name="risks_assessment_org_level"),
            # The work list: drafts and confirmed assessments whose profile waits.
            models.Index(
                fields=["organisation", "status", "profile_applied_on", "updated_at"],
                name="risks_assessment_work",
            ),
        ]

    def __str__(self) -> str:
        return f"assessment {self.pk}"

    @property
    def scores(self) -> dict[str, int]:
        return {a.value: getattr(self, f"score_{a.value}") for a in ACTIVITIES}


class Measure(OrganisationOwned):
    """A control measure for a function or a process, with its owner and review date."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    function = models.ForeignKey(
        "organisations.Function",
        verbose_name=_("functie"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    process = models.CharField(_("proces"), max_length=200, blank=True)
    kind = models.CharField(_("soort maatregel"), max_length=32, choices=MeasureKind.choices)
    description = models.TextField(_("omschrijving"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eigenaar"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    review_date = models.DateField(_("evaluatiedatum"))

    class Meta:
        verbose_name = _("beheersmaatregel")
        verbose_name_plural = _("beheersmaatregelen")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(function__isnull=False) | ~Q(process=""),
                name="risks_measure_function_or_process",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["organisation", "review_date"], name="risks_measure_org_review"),
            # The owner's work list: overdue reviews, oldest first.
            models.Index(fields=["owner", "status", "review_date"], name="risks_measure_owner"),
        ]

    def __str__(self) -> str:
        return f"measure {self.pk}"


class MeasureReminder(models.Model):
    """An e-mail reminder sent to a measure's owner for an overdue review: once per
    review date, so a second run of `integritas send_reminders` sends nothing, and a new
    review date that passes in its turn gets its own reminder."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="reminders")
    review_date = models.DateField()
    sent_on = models.DateField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["measure", "review_date"], name="risks_measure_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure_id}:{self.review_date}"

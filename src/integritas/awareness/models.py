"""Awareness: activities (trainings, workshops, theme meetings, dilemma sessions,
e-learning) with attendance, and the library of integrity dilemmas that managers discuss
with their team (seed 2.1, 5.1; R-AW-2)."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from integritas.core.models import BaseModel, OrganisationOwned
from integritas.organisations.constants import VulnerableActivity

from .constants import ActivityKind, DilemmaTheme, TrainingTopic


class Activity(OrganisationOwned):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("soort"), max_length=32, choices=ActivityKind.choices)
    title = models.CharField(_("titel"), max_length=200)
    topic = models.CharField(_("onderwerp"), max_length=32, choices=TrainingTopic.choices)
    date = models.DateField(_("datum"))
    audience = models.CharField(
        _("doelgroep"),
        max_length=200,
        help_text=_("Bijvoorbeeld: nieuwe medewerkers, leidinggevenden."),
    )
    description = models.TextField(_("omschrijving"), blank=True)
    completed_on = models.DateField(_("afgerond op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")
        indexes: ClassVar = [
            models.Index(
                fields=["organisation", "-date", "id"], name="awareness_activity_org_date"
            ),
            models.Index(
                fields=["organisation", "completed_on", "date"], name="awareness_activity_open"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    employee = models.ForeignKey(
        "organisations.Employee", on_delete=models.CASCADE, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheid")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["activity", "employee"], name="awareness_attendance_once"
            )
        ]
        indexes: ClassVar = [models.Index(fields=["employee"], name="awareness_attendance_emp")]

    def __str__(self) -> str:
        return f"attendance {self.activity_id}/{self.employee_id}"


class Dilemma(BaseModel):
    """An integrity dilemma written for this product (the library, loaded by migration)."""

    slug = models.SlugField(_("code"), unique=True)
    title = models.CharField(_("titel"), max_length=200)
    situation = models.TextField(_("situatie"))
    question = models.CharField(_("vraag"), max_length=300)
    theme = models.CharField(_("thema"), max_length=32, choices=DilemmaTheme.choices)
    activity = models.CharField(
        _("kwetsbare activiteit"),
        max_length=16,
        choices=VulnerableActivity.choices,
        blank=True,
    )

    class Meta:
        verbose_name = _("dilemma")
        verbose_name_plural = _("dilemma's")
        ordering: ClassVar = ["title"]
        indexes: ClassVar = [
            models.Index(fields=["theme", "title"], name="awareness_dilemma_theme"),
            models.Index(fields=["activity", "title"], name="awareness_dilemma_activity"),
        ]

    def __str__(self) -> str:
        return self.title


class DilemmaDiscussion(OrganisationOwned):
    """A manager discussed a dilemma with (part of) their team (R-AW-2)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    dilemma = models.ForeignKey(Dilemma, on_delete=models.PROTECT, related_name="discussions")
    manager = models.ForeignKey(
        "organisations.Employee", on_delete=models.PROTECT, related_name="+"
    )
    discussed_on = models.DateField(_("besproken op"))
    attendees = models.ManyToManyField(
        "organisations.Employee", related_name="+", verbose_name=_("aanwezigen")
    )

    class Meta:
        verbose_name = _("besproken dilemma")
        verbose_name_plural = _("besproken dilemma's")
        indexes: ClassVar = [
            models.Index(fields=["manager", "-discussed_on"], name="awareness_discussion_mgr"),
            models.Index(fields=["organisation", "-discussed_on"], name="awareness_discussion_org"),
        ]

    def __str__(self) -> str:
        return f"discussion {self.pk}"

"""The yearly re-confirmation (herbevestiging): a campaign per organisation and year in
which every current employee confirms that their registrations are complete.

Imported by `models.py`, so Django registers these models with the `registers` app.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from integritas.core.models import BaseModel, OrganisationOwned


class ReconfirmationCampaign(OrganisationOwned):
    """One year's re-confirmation in one organisation, open from `opens_on` up to and
    including `closes_on`."""

    year = models.PositiveSmallIntegerField(_("jaar"))
    opens_on = models.DateField(_("opent op"))
    closes_on = models.DateField(_("sluit op"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geopend door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("herbevestiging")
        verbose_name_plural = _("herbevestigingen")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="reconfirmation_campaign_once_a_year"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gt=F("opens_on")),
                name="reconfirmation_campaign_closes_after_opening",
            ),
        ]
        indexes = [
            # The employee's current campaign: the newest opened one of the organisation.
            models.Index(
                fields=["organisation", "opens_on", "closes_on"],
                name="reconfirm_campaign_open_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year}"


class Reconfirmation(BaseModel):
    """An employee's confirmation that their registrations are complete (who and when),
    with the registrations they saw, for next year's page."""

    campaign = models.ForeignKey(
        ReconfirmationCampaign, on_delete=models.CASCADE, related_name="confirmations"
    )
    employee = models.ForeignKey(
        "organisations.Employee",
        verbose_name=_("medewerker"),
        # Personnel data: goes with the person (R-DP-2, like the registrations).
        on_delete=models.CASCADE,
        related_name="reconfirmations",
    )
    confirmed_at = models.DateTimeField(_("bevestigd op"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bevestigd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    #: The registrations shown when confirming (ids), to mark next year what is new.
    registration_ids = models.JSONField(default=list, blank=True)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("bevestiging")
        verbose_name_plural = _("bevestigingen")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "employee"], name="reconfirmation_once_per_campaign"
            )
        ]
        indexes = [
            # Last year's confirmation of one employee.
            models.Index(fields=["employee", "campaign"], name="reconfirmation_employee_idx")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.employee_id}"


class ReconfirmationReminder(models.Model):
    """A reminder sent for a campaign to one employee: once per stage, so a second run of
    `send_reminders` sends nothing."""

    campaign = models.ForeignKey(
        ReconfirmationCampaign, on_delete=models.CASCADE, related_name="reminders"
    )
    employee = models.ForeignKey(
        "organisations.Employee", on_delete=models.CASCADE, related_name="+"
    )
    stage = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "employee", "stage"], name="reconfirmation_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.employee_id}:{self.stage}"

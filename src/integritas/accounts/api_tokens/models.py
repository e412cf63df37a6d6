"""An organisation's API token: a four-eyes grant with a hashed secret."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from integritas.accounts.grants.models import FourEyesGrant, four_eyes_constraint

from .constants import TokenScope

KEY_ID_LENGTH = 16  # 8 random bytes, hex


class ApiToken(FourEyesGrant):
    """A token for one organisation's HR system (see the package docstring)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("omschrijving"), max_length=100)
    scope = models.CharField(_("bevoegdheid"), max_length=8, choices=TokenScope.choices)
    key_id = models.CharField(_("sleutel-id"), max_length=KEY_ID_LENGTH, unique=True)
    digest = models.CharField(_("controlewaarde"), max_length=64)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)

    four_eyes_scope = "organisation"
    four_eyes_beneficiary = ""  # nobody gains personally; the requester still cannot decide
    four_eyes_identity = ("key_id",)

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        ordering = ["organisation", "-created_at"]
        constraints = [four_eyes_constraint("api_token_four_eyes")]
        indexes = [models.Index(fields=["organisation", "status"], name="api_token_org_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE


class ApiCall(models.Model):
    """One call of the HR API: ids and counts only, next to its audit event.

    The audit event (`api.hr.*`, object: the token) says who called what and with which
    result; this row adds the numbers the event has no field for. Never personal data.
    """

    timestamp = models.DateTimeField(_("tijdstip"))
    token = models.ForeignKey(
        ApiToken, verbose_name=_("API-sleutel"), on_delete=models.CASCADE, related_name="calls"
    )
    operation = models.CharField(_("bewerking"), max_length=32)
    status_code = models.PositiveSmallIntegerField(_("statuscode"))
    rows = models.PositiveIntegerField(_("rijen"), default=0)
    created = models.PositiveIntegerField(_("nieuw"), default=0)
    updated = models.PositiveIntegerField(_("gewijzigd"), default=0)

    class Meta:
        verbose_name = _("API-aanroep")
        verbose_name_plural = _("API-aanroepen")
        indexes = [
            models.Index(fields=["token", "timestamp"], name="api_call_token_idx"),
            # The retention run (notifications.housekeeping) deletes by age alone.
            models.Index(fields=["timestamp"], name="api_call_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.operation} {self.status_code}"

"""Shared model bases: timestamps and organisation ownership."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Every domain row knows when it was created and last changed."""

    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        abstract = True


class OrganisationOwnedQuerySet[M: models.Model](models.QuerySet[M]):
    """The base of the querysets of organisation-owned rows."""


class OrganisationOwned(BaseModel):
    """A row that belongs to exactly one organisation (the tenant boundary)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


class ThrottleCounter(models.Model):
    """Failed attempts per keyed-hash client key and time window (no address in clear).

    Works on SQLite and PostgreSQL without a cache server; see core/throttle.py.
    """

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="throttle_key_window")
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.key[:8]}@{self.window_start:%Y-%m-%d %H:%M}"

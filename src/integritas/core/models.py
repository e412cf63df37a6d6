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


class IntakeBudgetKey(models.Model):
    """The secret of one hour's per-source intake budget (cases/intake/budget.py).

    Made at random when the hour's first report arrives and deleted when the hour is
    over: after that no one, not even with the database and every other key, can tell
    which address a counter of that hour belonged to.
    """

    window_start = models.DateTimeField(unique=True)
    secret = models.BinaryField()

    def __str__(self) -> str:
        return f"intake budget key {self.window_start:%Y-%m-%d %H}h"


class IntakeBudgetCount(models.Model):
    """Reports per keyed-hash source (or "all sources") in one hour; no report link.

    The hour is the finest time kept; the row is deleted with its hour's key.
    """

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="intake_budget_key_window")
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"intake budget {self.window_start:%Y-%m-%d %H}h: {self.count}"


class IntakeProofSpent(models.Model):
    """A proof of work that was used once, so it cannot be used again until it expires.

    Only a hash of the challenge and the hour in which it expires; purged after that hour.
    """

    digest = models.CharField(max_length=64, unique=True)
    window_start = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"spent proof until {self.window_start:%Y-%m-%d %H}h"

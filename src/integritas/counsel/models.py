"""The directory of vertrouwenspersonen (seed 3.2.10, R-WBK-6): public contact data only;
the counsellors' own name-free log behind a wall (R-DP-3); their appointments, trainings and
intervisie (seed 4)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from integritas.core.models import BaseModel

from .constants import Channel, SessionKind, Theme


class CounsellorListing(BaseModel):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="counsellor_listings",
    )
    name = models.CharField(_("naam"), max_length=200)
    is_external = models.BooleanField(_("externe vertrouwenspersoon"), default=False)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    availability = models.CharField(_("bereikbaarheid"), max_length=200, blank=True)
    introduction = models.CharField(_("korte introductie"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("vertrouwenspersoon (gids)")
        verbose_name_plural = _("vertrouwenspersonen (gids)")
        ordering = ["organisation", "position", "name"]

    def __str__(self) -> str:
        return self.name


class CounsellorLog(BaseModel):
    """A counsellor's log in one organisation: the key holder of its entries.

    The log keeps its own data key (core/encryption), wrapped by the master key; the
    entries' free text is sealed under it. Its identity in the associated data is the
    counsellor's user id, fixed when the key is made.
    """

    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    key_id = models.CharField(max_length=32)
    wrapped_key = models.BinaryField()

    class Meta:
        verbose_name = _("logboek vertrouwenspersoon")
        verbose_name_plural = _("logboeken vertrouwenspersonen")
        constraints = [
            models.UniqueConstraint(
                fields=["counsellor", "organisation"], name="counsel_log_unique"
            )
        ]

    def __str__(self) -> str:
        return f"log {self.pk}"


class ConsultationEntry(BaseModel):
    """One consultation, without names (seed 3.2.10, R-DP-3).

    Only its author reads it (counsel/selectors.py). The theme, channel, follow-ups and
    date are in clear for the counts of the central counsellor and the yearly report;
    the free text (`note_enc`) is sealed under the log's key, bound to the entry's
    `token` (fixed before the insert).
    """

    log = models.ForeignKey(CounsellorLog, on_delete=models.PROTECT, related_name="entries")
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consulted_on = models.DateField(_("datum van het gesprek"))
    theme = models.CharField(_("onderwerp"), max_length=32, choices=Theme.choices)
    channel = models.CharField(
        _("hoe kwam de persoon bij u"), max_length=32, choices=Channel.choices
    )
    follow_ups = models.JSONField(_("wat volgde"), default=list)
    note_enc = models.BinaryField(blank=True, default=b"")
    retain_until = models.DateField(_("bewaren tot"))

    class Meta:
        verbose_name = _("gesprek")
        verbose_name_plural = _("gesprekken")
        indexes = [
            # The counsellor's own list, newest first (keyset on created_at, pk).
            models.Index(fields=["counsellor", "created_at", "id"], name="counsel_entry_own_idx"),
            # The retention scan (R-DP-2).
            models.Index(fields=["retain_until"], name="counsel_entry_retain_idx"),
        ]

    def __str__(self) -> str:
        return f"entry {self.pk}"


class CountsRevision(models.Model):
    """One row whose token changes in the transaction of every change to the counts.

    The central counsellor's figures over a national region (350 organisations x themes x
    quarters, their suppression searched together) are kept in the cache under this
    token: a page view reads one row instead of every count. A new random token on every
    change, never a number, so that a restored or re-seeded database cannot meet figures
    cached for other counts under the same key.
    """

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"counts revision {self.token}"


class ConsultationCount(models.Model):
    """How many consultations were logged per organisation, year, quarter and theme.

    Kept by the services in the transaction of every entry written, changed or deleted,
    and left as it is when entries expire (R-DP-2's counted tombstone): the central
    counsellor's figures and the yearly report read these few rows, never the entries —
    constant work whatever the number of entries. No dates, no text, no counsellor.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    theme = models.CharField(max_length=32, choices=Theme.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "quarter", "theme"],
                name="counsel_count_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1) & models.Q(quarter__lte=4),
                name="counsel_count_quarter",
            ),
        ]
        indexes = [models.Index(fields=["year", "organisation"], name="counsel_count_year_idx")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year}Q{self.quarter} {self.theme}"


class CounsellorAppointment(BaseModel):
    """An internal counsellor, recruited, trained and appointed with HRM's support (seed 4).

    HRM of the organisation keeps it; `trained_on` empty means not (yet) trained.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    employee = models.ForeignKey(
        "organisations.Employee",
        verbose_name=_("medewerker"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recruited_on = models.DateField(_("geworven op"), null=True, blank=True)
    trained_on = models.DateField(_("basistraining afgerond op"), null=True, blank=True)
    appointed_on = models.DateField(_("benoemd op"))
    ended_on = models.DateField(_("benoeming beëindigd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("benoeming vertrouwenspersoon")
        verbose_name_plural = _("benoemingen vertrouwenspersonen")
        ordering = ["organisation", "-appointed_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("appointed_on")),
                name="counsel_appointment_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "appointed_on"], name="counsel_appt_idx")]

    def __str__(self) -> str:
        return f"appointment {self.pk}"


class CounsellorSession(BaseModel):
    """A training or intervisie session of the region's counsellors, kept by the central
    counsellor with its attendance."""

    region = models.ForeignKey("organisations.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("soort"), max_length=16, choices=SessionKind.choices)
    title = models.CharField(_("titel"), max_length=200)
    held_on = models.DateField(_("datum"))
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aanwezig"),
        related_name="+",
        blank=True,
    )

    class Meta:
        verbose_name = _("bijeenkomst vertrouwenspersonen")
        verbose_name_plural = _("bijeenkomsten vertrouwenspersonen")
        indexes = [models.Index(fields=["region", "held_on"], name="counsel_session_idx")]

    def __str__(self) -> str:
        return self.title

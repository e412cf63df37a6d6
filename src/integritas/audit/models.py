"""Append-only, hash-chained audit events (R-BIO-1, R-BIO-2).

One chain per organisation plus one for the region, so that writes for different
organisations do not queue on one head. Each event stores the hash of its predecessor and
its own hash over a canonical encoding of its fields; `integritas audit_verify` recomputes
every chain. The model refuses update and delete; on PostgreSQL a trigger (pgtrigger) and
on SQLite a trigger from migration 0002 refuse them in the database too.
"""

from typing import Any, NoReturn

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import Origin, Result


class AuditChainHead(models.Model):
    """The last sequence number and hash of one chain; locked while appending."""

    chain = models.CharField(max_length=64, primary_key=True)
    sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("auditketen")

    def __str__(self) -> str:
        return f"{self.chain}#{self.sequence}"


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    """Bulk update and delete are refused like their single-row counterparts."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only.")

    def delete(self) -> NoReturn:
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    chain = models.CharField(_("keten"), max_length=64)
    sequence = models.PositiveBigIntegerField(_("volgnummer"))
    timestamp = models.DateTimeField(_("tijdstip"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_role = models.CharField(_("rol"), max_length=32, blank=True)
    action = models.CharField(_("actie"), max_length=64)
    object_type = models.CharField(_("objecttype"), max_length=64, blank=True)
    object_id = models.CharField(_("object-id"), max_length=64, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    result = models.CharField(_("resultaat"), max_length=16, choices=Result.choices)
    origin = models.CharField(_("herkomst"), max_length=16, choices=Origin.choices)
    prev_hash = models.CharField(_("vorige hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("auditgebeurtenissen")
        ordering = ["-timestamp", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "sequence"], name="audit_chain_sequence"),
        ]
        # The audit-log page orders by (timestamp, id) and pages by keyset; each filter
        # it offers has an index that ends in the time, so a filtered page reads only
        # its own rows, however many millions the table holds.
        indexes = [
            models.Index(fields=["-timestamp", "-id"], name="audit_time"),
            models.Index(fields=["chain", "-timestamp"], name="audit_chain_time"),
            models.Index(fields=["organisation", "-timestamp"]),
            models.Index(fields=["action", "-timestamp"]),
            models.Index(fields=["actor", "-timestamp"]),
            models.Index(fields=["actor_role", "-timestamp"], name="audit_role_time"),
            models.Index(fields=["result", "-timestamp"], name="audit_result_time"),
            models.Index(fields=["origin", "-timestamp"], name="audit_origin_time"),
            models.Index(fields=["object_type", "object_id"]),
        ]
        triggers = [
            pgtrigger.Protect(
                name="audit_event_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
            # TRUNCATE empties a table without touching rows, so the row trigger above
            # never sees it; a statement trigger does (PostgreSQL only, SQLite has none).
            pgtrigger.Trigger(
                name="audit_event_no_truncate",
                operation=pgtrigger.Truncate,
                level=pgtrigger.Statement,
                when=pgtrigger.Before,
                func=(
                    "RAISE EXCEPTION 'pgtrigger: Cannot truncate % table: audit events "
                    "are append-only', TG_TABLE_NAME;"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chain}#{self.sequence} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only.")


class DeniedAccessCounter(models.Model):
    """How many refusals one user had in the current window (audit/denials.py).

    One row per user who was ever refused, overwritten when a new window starts: the
    user's id, the start of the window and a count, nothing else. It bounds how many
    refusals of one user reach the chains, so that a loop cannot flood them.
    """

    actor_id = models.BigIntegerField(_("actor-id"), primary_key=True)
    window_start = models.DateTimeField(_("begin van het tijdvak"))
    count = models.PositiveIntegerField(_("aantal"), default=0)

    class Meta:
        verbose_name = _("teller geweigerde toegang")

    def __str__(self) -> str:
        return f"{self.actor_id}@{self.window_start:%Y-%m-%d %H:%M}: {self.count}"

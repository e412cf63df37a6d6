"""`integritas audit_verify`: exit 0 on intact chains, 1 naming the first broken event.

On success it prints one line per chain head (`<chain>: <n> events, kop <hash>`). Keep
that output outside the database (docs/operations.md); `--anchors FILE` checks that every
head recorded in such a file is still part of its chain, which also exposes a rewrite of
a whole chain.
"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from integritas.audit.verification import parse_anchors, verify_all, verify_anchors


class Command(BaseCommand):
    help = "Controleert de hashketens van het auditlog (R-BIO-1)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--anchors",
            type=Path,
            help=(
                "Bestand met eerder vastgelegde uitvoer van audit_verify; elke vastgelegde "
                "ketenkop moet nog in zijn keten staan."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        heads, breaks = verify_all()
        checked = len(heads) + len(breaks)
        anchors_path: Path | None = options.get("anchors")
        if anchors_path is not None:
            try:
                text = anchors_path.read_text(encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"Kan {anchors_path} niet lezen: {exc.strerror}") from exc
            anchors = parse_anchors(text.splitlines())
            if not anchors:
                raise CommandError(f"Geen ketenkoppen gevonden in {anchors_path}.")
            broken_chains = {b.chain for b in breaks}
            breaks += [b for b in verify_anchors(anchors) if b.chain not in broken_chains]
        if breaks:
            for b in breaks:
                self.stderr.write(
                    f"Keten {b.chain}: gebroken bij volgnummer {b.sequence}"
                    f" (event-id {b.event_id if b.event_id is not None else '-'}): {b.reason}"
                )
            raise CommandError(
                f"Auditlog niet intact: {len(breaks)} breuk(en) in {checked} ketens."
            )
        # The heads as verified (appends made meanwhile are checked on the next run).
        for head in heads:
            self.stdout.write(f"{head.chain}: {head.sequence} events, kop {head.hash}")
        self.stdout.write(self.style.SUCCESS(f"Auditlog intact: {checked} ketens gecontroleerd."))

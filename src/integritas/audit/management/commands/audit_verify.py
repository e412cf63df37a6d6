"""`integritas audit_verify`: exit 0 on intact chains, 1 naming the first broken event.

On success it prints one line per chain head (`<chain>: <n> events, kop <hash>`). Keep
that output outside the database (docs/operations.md); `--anchors FILE` checks that every
head recorded in such a file is still part of its chain, which also exposes a rewrite of
a whole chain. With `--since-anchors` only the events after those heads are recomputed
(the period since the last anchor); `--chain` limits the run to one chain. Memory stays
constant however long the chains are; progress goes to stderr with the time left.
"""

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from integritas.audit.verification import (
    Anchor,
    chain_lengths,
    parse_anchors,
    verify_all,
    verify_anchors,
)


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
        parser.add_argument(
            "--since-anchors",
            action="store_true",
            help="Controleer alleen de events na de vastgelegde koppen (vereist --anchors).",
        )
        parser.add_argument("--chain", help="Controleer alleen deze keten (bv. org-3, region).")
        parser.add_argument(
            "--no-progress", action="store_true", help="Geen voortgang op stderr tonen."
        )

    def _anchors(self, path: Path | None) -> list[Anchor]:
        if path is None:
            return []
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Kan {path} niet lezen: {exc.strerror}") from exc
        anchors = parse_anchors(text.splitlines())
        if not anchors:
            raise CommandError(f"Geen ketenkoppen gevonden in {path}.")
        return anchors

    def handle(self, *args: Any, **options: Any) -> None:
        anchors = self._anchors(options.get("anchors"))
        if options["since_anchors"] and not anchors:
            raise CommandError("--since-anchors vereist --anchors BESTAND.")
        chain: str | None = options.get("chain")
        chains = [chain] if chain else None
        if chain:
            anchors = [a for a in anchors if a.chain == chain]
        starts = {a.chain: a for a in anchors} if options["since_anchors"] else {}
        progress = None if options["no_progress"] else self._progress(chains, starts)
        heads, breaks = verify_all(chains=chains, starts=starts, progress=progress)
        checked = len(heads) + len(breaks)
        if anchors and not options["since_anchors"]:
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

    def _progress(self, chains: list[str] | None, starts: dict[str, Anchor]) -> Any:
        """A callback printing events checked, rate and time left over all chains."""
        lengths = chain_lengths(chains)
        total = sum(n - (starts[c].sequence if c in starts else 0) for c, n in lengths.items())
        began = time.monotonic()
        done_before: dict[str, int] = {}

        def report(chain: str, checked: int) -> None:
            done_before[chain] = checked
            done = sum(done_before.values())
            elapsed = time.monotonic() - began
            left = (total - done) * elapsed / done if done and total > done else 0
            self.stderr.write(
                f"{done:,}/{total:,} events gecontroleerd ({chain}); "
                f"nog ongeveer {int(left // 60)} min {int(left % 60)} s".replace(",", ".")
            )

        return report

"""What waits for a handler besides the legal clock: the inbox's "Wacht op" filters, which
the home page's work lists count (cases/worklists.py) — the same conditions for both.

- a reply: the reporter wrote, and no message to the reporter came after it (the last
  message of the case is theirs);
- aangifte: a possible criminal offence is flagged and no decision on aangifte is
  recorded yet (art. 162 Sv, R-EXT-3).

Both concern open cases only. The replies are read from the messages, oldest first,
through the index on (direction, created_at) and, per case, the one on (case,
created_at); the aangifte through a partial index on the flagged cases (cases migration
0011).
"""

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from integritas.cases.constants import CLOSED_STATUSES, MessageDirection
from integritas.cases.models import Case, CaseMessage

WAITING_REPLY = "reply"
WAITING_AANGIFTE = "aangifte"


def _open() -> Q:
    return ~Q(status__in=CLOSED_STATUSES)


def waiting_for_reply(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The open `cases` whose reporter waits for an answer, with `reply_since`: when the
    reporter's message that waits was sent.

    A case waits when its last message is from the reporter (then every message of theirs
    since the last one to them waits too, and this one most recently). Each case is
    joined with that one message, read in the order of the messages' index; one NOT
    EXISTS per message, which both databases answer from the index on (case, created_at)
    and stop after the first few (benchmarks/home.py)."""
    later = CaseMessage.objects.filter(
        case_id=OuterRef("pk"), created_at__gt=OuterRef("reply_since")
    )
    return (
        cases.filter(_open(), messages__direction=MessageDirection.FROM_REPORTER)
        .annotate(reply_since=F("messages__created_at"))
        .exclude(Exists(later))
    )


def filter_waiting(cases: QuerySet[Case], name: str) -> QuerySet[Case]:
    """`cases` that wait for `name` (WAITING_REPLY, WAITING_AANGIFTE); all otherwise."""
    if name == WAITING_REPLY:
        return waiting_for_reply(cases)
    if name == WAITING_AANGIFTE:
        return cases.filter(_open(), is_possible_offence=True, aangifte_decision__isnull=True)
    return cases

"""A ceiling on new reports per hour over all public channels, against a flood of junk.

Counted without any client address, on purpose: a count per sender would write, beside
every report and to the minute, a keyed hash of the sender's address, which someone with
the server's keys could tie back to a workstation (docs/dpia.md). A count over everyone
ties a report to nobody. Reports recorded by a coordinator or manager are not counted.
"""

from django.conf import settings

from integritas.core import throttle

INTAKE_KEY = f"{throttle.GLOBAL_KEY}:meldpunt-intake"
WINDOW_MINUTES = 60
# What a refused sender is told to wait (Retry-After), on the web page and in the API.
RETRY_AFTER_SECONDS = WINDOW_MINUTES * 60


def intake_open() -> bool:
    """Whether the Meldpunt takes another report now."""
    limit = settings.INTEGRITAS_INTAKE_REPORTS_PER_HOUR
    return throttle.count(INTAKE_KEY, WINDOW_MINUTES) < limit


def intake_counted() -> None:
    """Count one new report; call it inside the transaction that creates the case."""
    throttle.record(INTAKE_KEY)

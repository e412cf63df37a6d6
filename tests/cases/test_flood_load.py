"""A bounded flood on loopback: one script sends junk as fast as it can while ten genuine
reporters send one report each through the web form (issue 10, point 1, the Proof).

Every genuine reporter must get a receipt code; the script gets at most its budget of
reports into the coordinator's inbox, the rest of its junk is held. The junk accepted per
minute is printed (run with -s to see it). The flood lasts INTEGRITAS_FLOOD_SECONDS
(default 15; the issue's 60 with INTEGRITAS_FLOOD_SECONDS=60).

Each source is told apart by X-Forwarded-For from a trusted proxy (loopback), as behind
the reverse proxy in production (docs/operations.md).
"""

import http.cookiejar
import json
import os
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import override_settings

from integritas.cases.constants import IntakeHold
from integritas.cases.models import Case

pytestmark = [
    pytest.mark.load,
    pytest.mark.usefixtures("transactional_db", "one_request_at_a_time_on_sqlite"),
]

FLOOD_SECONDS = float(os.environ.get("INTEGRITAS_FLOOD_SECONDS", "15"))
JUNK_SOURCE = "203.0.113.66"
GENUINE = 10


@pytest.fixture
def one_request_at_a_time_on_sqlite(monkeypatch):  # type: ignore[no-untyped-def]
    """SQLite's test database lives in memory, on one connection that the live server's
    threads share: there they take turns per request (interleaved, not parallel).
    PostgreSQL serves them in parallel, each thread on its own connection."""
    if connection.vendor != "sqlite":
        return
    lock = threading.Lock()
    handle = WSGIHandler.__call__

    def in_turn(self, environ, start_response):  # type: ignore[no-untyped-def]
        with lock:
            return handle(self, environ, start_response)

    monkeypatch.setattr(WSGIHandler, "__call__", in_turn)


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def _junk(base: str, stop: threading.Event, sent: list[int]) -> None:
    body = json.dumps(
        {
            "organisation": "leiderdorp",
            "kind": "integrity_violation",
            "description": "Rommel " * 20,
            "identity_mode": "anonymous",
        }
    ).encode()
    opener = _opener()
    while not stop.is_set():
        request = urllib.request.Request(  # noqa: S310 (our loopback server)
            f"{base}/api/v1/meldpunt/meldingen/",
            data=body,
            headers={"Content-Type": "application/json", "X-Forwarded-For": JUNK_SOURCE},
        )
        try:
            with opener.open(request, timeout=30) as answer:
                sent.append(answer.status)
        except urllib.error.HTTPError as error:
            sent.append(error.code)


def _genuine(base: str, n: int, codes: dict[int, str]) -> None:
    """Open the form, send the report without JavaScript, read the receipt code."""
    opener = _opener()
    source = {"X-Forwarded-For": f"198.51.100.{n + 1}"}
    first = urllib.request.Request(f"{base}/meldpunt/", headers=source)  # noqa: S310
    with opener.open(first) as page:
        html = page.read().decode()
    fields = {
        name: value
        for name, value in re.findall(
            r'name="(csrfmiddlewaretoken|form_token)" value="([^"]+)"', html
        )
    }
    data = urllib.parse.urlencode(
        {
            **fields,
            "organisation": "leiderdorp",
            "kind": "integrity_violation",
            "description": f"Een echte melding nummer {n}",
            "identity_mode": "anonymous",
            "step": "send",
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (our loopback server)
        f"{base}/meldpunt/", data=data, headers={**source, "Referer": f"{base}/meldpunt/"}
    )
    with opener.open(request, timeout=60) as receipt:  # follows the 303 to the receipt page
        text = receipt.read().decode()
    match = re.search(r"integritas-code[^>]*>([\d ]{19})<", text)
    if match:
        codes[n] = match.group(1)


@pytest.mark.requirement("R-WBK-2")
def test_ten_genuine_reporters_get_their_receipt_while_one_script_floods(live_server, organisation):
    base = live_server.url
    stop = threading.Event()
    sent: list[int] = []
    codes: dict[int, str] = {}
    with override_settings(INTEGRITAS_TRUSTED_PROXIES=["127.0.0.1"]):
        junk = threading.Thread(target=_junk, args=(base, stop, sent))
        started = time.monotonic()
        junk.start()
        time.sleep(min(3.0, FLOOD_SECONDS / 4))  # the flood is well under way
        reporters = [
            threading.Thread(target=_genuine, args=(base, n, codes)) for n in range(GENUINE)
        ]
        for reporter in reporters:
            reporter.start()
            time.sleep(FLOOD_SECONDS / (2 * GENUINE))
        for reporter in reporters:
            reporter.join(timeout=120)
        time.sleep(max(0.0, FLOOD_SECONDS - (time.monotonic() - started)))
        stop.set()
        junk.join(timeout=60)
        elapsed = time.monotonic() - started

    assert sorted(codes) == list(range(GENUINE)), "a genuine reporter got no receipt code"
    assert set(sent) <= {201}, f"the script was refused: {sorted(set(sent))}"
    junk_cases = Case.objects.filter(channel="api")
    junk_open = junk_cases.filter(intake_hold=IntakeHold.NONE).count()
    junk_held = junk_cases.filter(intake_hold=IntakeHold.HELD).count()
    genuine = Case.objects.filter(channel="web")
    assert genuine.count() == GENUINE
    # The genuine reports reach the inbox directly; the script only its budget.
    assert not genuine.exclude(intake_hold=IntakeHold.NONE).exists()
    assert junk_open <= 20
    per_minute = (junk_open + junk_held) * 60 / elapsed
    print(
        f"\nflood {elapsed:.0f} s: junk accepted {junk_open + junk_held} "
        f"({per_minute:.0f}/min; {junk_open} into the inbox, {junk_held} held), "
        f"{GENUINE}/{GENUINE} genuine receipts"
    )

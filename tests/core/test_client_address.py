"""The throttle's client behind a reverse proxy (X-Forwarded-For from trusted proxies only).

Behind a proxy every request arrives from the proxy's address, so without this all
reporters would share one guessing budget. A client cannot choose its own address by
writing the header itself: only hops appended by trusted proxies count (R-WBK-9: the
mailbox of anonymous reporters; R-BIO-2: the login lock-out).
"""

import pytest
from django.test import Client, RequestFactory, override_settings

from integritas.core import throttle
from integritas.core.models import ThrottleCounter
from tests.cases.factories import submit_case

PROXY = "10.0.0.5"


def request(remote: str, forwarded: str | None = None):  # type: ignore[no-untyped-def]
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/meldpunt/postvak/", **extra)


@override_settings(INTEGRITAS_TRUSTED_PROXIES=[])
def test_without_trusted_proxies_the_header_is_ignored():
    assert throttle.client_address(request("192.0.2.1", "198.51.100.9")) == "192.0.2.1"


@override_settings(INTEGRITAS_TRUSTED_PROXIES=["10.0.0.0/24"])
@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        (PROXY, "198.51.100.9", "198.51.100.9"),  # one proxy
        (PROXY, "203.0.113.66, 198.51.100.9", "198.51.100.9"),  # client wrote a fake first hop
        (PROXY, "198.51.100.9, 10.0.0.7", "198.51.100.9"),  # two proxies of ours
        (PROXY, "2001:db8::1", "2001:db8::1"),
        (PROXY, "", PROXY),  # nothing forwarded
        (PROXY, "not-an-address", PROXY),  # garbage: fall back to the proxy
        ("192.0.2.1", "198.51.100.9", "192.0.2.1"),  # not from a proxy: header ignored
    ],
)
def test_client_is_the_first_untrusted_hop_from_the_right(remote, forwarded, client):
    assert throttle.client_address(request(remote, forwarded)) == client


@override_settings(INTEGRITAS_TRUSTED_PROXIES=[PROXY])
def test_clients_behind_one_proxy_have_their_own_key():
    one = throttle.client_key(request(PROXY, "198.51.100.1"), "postvak")
    two = throttle.client_key(request(PROXY, "198.51.100.2"), "postvak")
    assert one != two
    assert "198.51.100" not in one


@pytest.mark.django_db
@override_settings(INTEGRITAS_TRUSTED_PROXIES=[PROXY])
def test_mailbox_guessing_budget_is_per_client_behind_the_proxy(organisation):
    submission = submit_case(organisation)
    guesser = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    for _ in range(5):
        assert guesser.post("/meldpunt/postvak/", {"receipt_code": "0" * 16}).status_code == 400
    assert guesser.post("/meldpunt/postvak/", {"receipt_code": "0" * 16}).status_code == 429
    # A reporter behind the same proxy is not locked out by someone else's guessing.
    reporter = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2")
    response = reporter.post("/meldpunt/postvak/", {"receipt_code": submission.receipt_code})
    assert response.status_code == 303
    # And the guesser cannot shake off the count by inventing a first hop.
    spoofing = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.1")
    assert spoofing.post("/meldpunt/postvak/", {"receipt_code": "0" * 16}).status_code == 429
    # No address is stored, only keyed hashes.
    for key in ThrottleCounter.objects.values_list("key", flat=True):
        assert "198.51.100" not in key and PROXY not in key

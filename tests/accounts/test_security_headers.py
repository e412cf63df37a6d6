"""Content-Security-Policy and the other response headers; production settings."""

import base64
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.template import engines
from django.urls import reverse

from integritas.accounts.constants import Role

INTEGRITAS = Path(sys.executable).with_name("integritas")


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _assert_hardened(response) -> None:
    csp = _csp(response)
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp.get("style-src", [])
    # Django adds the nonce only to responses whose page used it; without it, only
    # script files from our own origin run.
    nonces = [v for v in csp["script-src"] if v.startswith("'nonce-")]
    assert set(csp["script-src"]) - set(nonces) == {"'self'"}
    assert len(nonces) <= 1
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    # Any script on the page is a file of our own or carries this response's nonce.
    nonce = nonces[0].removeprefix("'nonce-").removesuffix("'") if nonces else None
    for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
        if 'type="application/json"' in tag:
            continue  # data, never executed
        assert "src=" in tag or (nonce and f'nonce="{nonce}"' in tag), tag
    assert not re.search(r"\son[a-z]+=", response.content.decode())  # no inline handlers


def test_login_page_headers(client, db):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    _assert_hardened(response)


def test_app_page_headers_and_no_store(client_for):
    client = client_for(Role.ADMINISTRATOR)
    for page in ("/", "/beheer/gebruikers/", "/beheer/toegangsreview/"):
        response = client.get(page)
        assert response.status_code == 200, page
        _assert_hardened(response)
        assert "no-store" in response["Cache-Control"], page
        assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def _render_with_script(request: HttpRequest) -> HttpResponse:
    template = engines["django"].from_string('<script nonce="{{ csp_nonce }}">x()</script>')
    return HttpResponse(template.render({}, request))


def test_a_page_that_uses_the_nonce_sends_it_fresh_each_time(rf):
    middleware = ContentSecurityPolicyMiddleware(_render_with_script)
    nonces = []
    for _ in range(2):
        request = rf.get("/")
        request.user = AnonymousUser()
        response = middleware(request)
        script_src = _csp(response)["script-src"]
        assert script_src[0] == "'self'"
        nonce = script_src[1].removeprefix("'nonce-").removesuffix("'")
        assert f'nonce="{nonce}"' in response.content.decode()
        assert len(nonce) >= 16
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_redirects_and_errors_carry_the_headers_too(client, client_for):
    _assert_hardened(client.get("/"))  # anonymous → login redirect
    forbidden = client_for(None).get("/beheer/gebruikers/")
    assert forbidden.status_code == 403
    _assert_hardened(forbidden)


# --- production settings -------------------------------------------------------------


def _production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        # Never pick up a developer's .env: only what the test sets counts.
        "INTEGRITAS_ENV_FILE": str(tmp_path / "no.env"),
        "DJANGO_SETTINGS_MODULE": "integritas.conf.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "INTEGRITAS_MASTER_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "INTEGRITAS_RECEIPT_PEPPER": secrets.token_urlsafe(32),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
    }
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.ci_run("sqlite")  # a subprocess with its own SQLite file
def test_production_passes_check_deploy(tmp_path):
    result = _run(
        [str(INTEGRITAS), "check", "--deploy", "--fail-level", "WARNING"],
        _production_env(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.ci_run("sqlite")  # subprocesses that stop before any database
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "te-kort"}, "SECRET_KEY must be set"),
        ({"INTEGRITAS_MASTER_KEY": None}, "INTEGRITAS_MASTER_KEY must be set"),
        ({"INTEGRITAS_MASTER_KEY": "abc"}, "INTEGRITAS_MASTER_KEY must decode to exactly 32"),
        (
            {"INTEGRITAS_MASTER_KEY": base64.urlsafe_b64encode(b"x" * 16).decode()},
            "INTEGRITAS_MASTER_KEY must decode to exactly 32",
        ),
        ({"INTEGRITAS_MASTER_KEY": "!!!!" * 11}, "INTEGRITAS_MASTER_KEY is not url-safe base64"),
        ({"INTEGRITAS_RECEIPT_PEPPER": None}, "INTEGRITAS_RECEIPT_PEPPER must be set"),
        ({"INTEGRITAS_RECEIPT_PEPPER": "kort"}, "INTEGRITAS_RECEIPT_PEPPER must be set"),
    ],
)
def test_production_refuses_to_start_without_valid_secrets(tmp_path, overrides, message):
    result = _run([str(INTEGRITAS), "check"], _production_env(tmp_path, **overrides))
    assert result.returncode != 0
    assert message in result.stderr
    # The bad value itself is never printed.
    if overrides.get("INTEGRITAS_MASTER_KEY"):
        assert overrides["INTEGRITAS_MASTER_KEY"] not in result.stderr


def test_production_transport_security(tmp_path):
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ["
        "'DEBUG', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS',"
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY',"
        "'SESSION_COOKIE_NAME', 'CSRF_COOKIE_NAME', 'INTEGRITAS_DEMO_ALLOWED',"
        "'MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN']} | {'mail': s.MAILERS['default']['BACKEND']}))"
    )
    result = _run([sys.executable, "-c", code], _production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert values["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert values["INTEGRITAS_DEMO_ALLOWED"] is False
    assert values["MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN"] is False
    assert values["mail"] == "django.core.mail.backends.smtp.EmailBackend"

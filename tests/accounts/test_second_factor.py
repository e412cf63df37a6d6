"""R-BIO-2: every privileged role needs a second factor, checked on every request."""

import datetime
from urllib.parse import urlsplit

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from integritas.accounts.constants import PRIVILEGED_ROLES, Role
from integritas.audit.models import AuditEvent
from tests.factories import TEST_PASSWORD, grant

from .conftest import add_totp, password_login, totp_code, totp_login

APP_PAGES = ["/", "/beheer/gebruikers/", "/medewerkers/", "/beheer/toegangsreview/"]
ROLES = sorted(PRIVILEGED_ROLES)


def _path(response) -> str:
    return urlsplit(response["Location"]).path


def _is_second_factor_redirect(response) -> bool:
    return response.status_code == 302 and _path(response) in {
        reverse("mfa_activate_totp"),
        reverse("mfa_reauthenticate"),
    }


@pytest.mark.requirement("R-BIO-2")
@pytest.mark.parametrize("role", ROLES)
def test_password_only_privileged_user_is_sent_to_totp_activation(role, client, make_user):
    # R-BIO-2: a password alone opens no app page for a privileged role.
    user = make_user(role)
    response = password_login(client, user)
    assert response.status_code == 302  # logged in with the password ...
    assert "_auth_user_id" in client.session
    for page in APP_PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == reverse("mfa_activate_totp"), page


@pytest.mark.requirement("R-BIO-2")
@pytest.mark.parametrize("role", ROLES)
def test_privileged_user_with_authenticator_is_sent_to_reauthenticate(role, client, make_user):
    # A session that started before the user had a factor must still prove one.
    user = make_user(role)
    password_login(client, user)
    add_totp(user)  # e.g. activated in another browser
    for page in APP_PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert _path(response) == reverse("mfa_reauthenticate"), page
        assert f"next={page.replace('/', '%2F')}" in response["Location"]


@pytest.mark.requirement("R-BIO-2")
@pytest.mark.parametrize("role", ROLES)
def test_real_totp_login_opens_the_pages(role, client, make_user):
    user = make_user(role)
    secret = add_totp(user)
    # With an authenticator, the password alone does not even log in.
    response = password_login(client, user)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    home = client.get("/")
    assert home.status_code == 200
    for page in APP_PAGES:
        response = client.get(page)
        assert not _is_second_factor_redirect(response), page
        assert response.status_code in (200, 403), page


@pytest.mark.requirement("R-BIO-2")
def test_wrong_totp_code_does_not_log_in(client, make_user):
    user = make_user(Role.ADMINISTRATOR)
    secret = add_totp(user)
    password_login(client, user)
    wrong = str((int(totp_code(secret)) + 1) % 1_000_000).zfill(6)
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_reauthenticating_with_totp_satisfies_the_middleware(client, make_user):
    user = make_user(Role.ADMINISTRATOR)
    password_login(client, user)
    secret = add_totp(user)
    response = client.get("/beheer/gebruikers/")
    assert _path(response) == reverse("mfa_reauthenticate")
    response = client.post(response["Location"], {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/beheer/gebruikers/").status_code == 200


def test_plain_employee_needs_no_second_factor(client, make_user):
    user = make_user()  # an employee holds no role assignment
    response = password_login(client, user)
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    # Pages the employee may not use answer 403, not a 2FA redirect.
    assert client.get("/beheer/gebruikers/").status_code == 403
    assert client.get("/medewerkers/").status_code == 403


@pytest.mark.requirement("R-BIO-2")
def test_role_granted_mid_session_requires_second_factor_on_next_request(client, make_user):
    user = make_user()
    password_login(client, user)
    assert client.get("/").status_code == 200
    grant(user, Role.HRM, user.employee.organisation)
    response = client.get("/medewerkers/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_activating_totp_in_the_session_counts_as_second_factor(client, make_user, monkeypatch):
    # signals.on_authenticator_added: the activation code proves the factor.
    user = make_user(Role.HRM)
    password_login(client, user)
    # Just after logging in, enrolling the first factor needs no second password prompt.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    secret = client.session["mfa.totp.secret"]
    # allauth sends authenticator_added on commit, which in production happens inside
    # the request. The test transaction never commits, so run such callbacks at once.
    monkeypatch.setattr(transaction, "on_commit", lambda func, *args, **kwargs: func())
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get("/medewerkers/").status_code == 200
    assert AuditEvent.objects.filter(action="mfa.added", actor_id=user.pk).exists()
    # allauth shows the new recovery codes next, without asking for a password again.
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.status_code == 200
    assert "****" not in codes.content.decode()


@pytest.mark.requirement("R-BIO-2")
def test_second_factor_of_one_session_does_not_carry_to_another(make_user):
    user = make_user(Role.ADMINISTRATOR)
    secret = add_totp(user)
    first = Client()
    totp_login(first, user, secret)
    assert first.get("/").status_code == 200
    second = Client()
    password_login(second, user)
    assert second.get("/").status_code == 302


@pytest.mark.requirement("R-BIO-2")
def test_password_alone_cannot_reach_the_factor_management_pages(client, make_user):
    # Found while proving R-BIO-2: with all of /accounts/ open, a password-only session
    # of a user who has TOTP could re-enter the password, read the recovery codes and
    # pass one off as the second factor, or switch the authenticator off.
    user = make_user(Role.ADMINISTRATOR)
    password_login(client, user)
    add_totp(user)
    RecoveryCodes.activate(user)
    for name in (
        "account_reauthenticate",
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_deactivate_totp",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "account_change_password",
        "account_email",
        "socialaccount_connections",
    ):
        for method in (client.get, client.post):
            response = method(reverse(name), {"password": TEST_PASSWORD})
            assert response.status_code == 302, name
            assert _path(response) == reverse("mfa_reauthenticate"), name
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    # The way out stays open.
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_enrolling_later_asks_for_the_password_again(client, make_user):
    user = make_user(Role.HRM)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)) as clock:
        password_login(client, user)
        clock.shift(datetime.timedelta(seconds=settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1))
        response = client.get(reverse("mfa_activate_totp"))
        assert _path(response) == reverse("account_reauthenticate")
        response = client.post(response["Location"], {"password": TEST_PASSWORD})
        assert response.status_code == 302
        assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_changing_an_existing_factor_still_asks_to_reauthenticate(client, make_user):
    user = make_user(Role.ADMINISTRATOR)
    secret = add_totp(user)
    totp_login(client, user, secret)
    response = client.get(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert _path(response) in {reverse("account_reauthenticate"), reverse("mfa_reauthenticate")}


def test_user_without_factor_may_only_enrol(client, make_user):
    user = make_user(Role.SECRETARY)
    password_login(client, user)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.get(reverse("account_reauthenticate")).status_code == 200
    for name in ("account_change_password", "account_email", "socialaccount_connections"):
        response = client.get(reverse(name))
        assert response["Location"] == reverse("mfa_activate_totp"), name


def test_favicon_request_does_not_reset_a_pending_totp_activation(client, make_user):
    """Browsers fetch /favicon.ico on their own; it must not land on TOTP activation,
    which would generate a new secret while the user types a code for the old one."""
    user = make_user(Role.HRM)
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")


@pytest.mark.requirement("R-BIO-2")
def test_active_substitute_without_a_role_needs_a_second_factor(client, make_user, organisation):
    """A substitute reads case content without holding a privileged role (R-BIO-2)."""
    from integritas.accounts.constants import AssignmentStatus
    from integritas.cases.constants import SubstituteRole
    from integritas.cases.models import Substitute

    plain = make_user()
    substitute = make_user()
    Substitute.objects.create(
        organisation=organisation,
        replaces_role=SubstituteRole.SECRETARY,
        user=substitute,
        status=AssignmentStatus.ACTIVE,
    )
    backend = "allauth.account.auth_backends.AuthenticationBackend"
    client.force_login(plain, backend=backend)
    assert client.get("/").status_code == 200
    client.force_login(substitute, backend=backend)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")

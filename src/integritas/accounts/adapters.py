"""allauth adapters: no self sign-up; SSO only for known users of that municipality."""

import time
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from integritas.audit.constants import Result
from integritas.audit.services import audit_record
from integritas.core.throttle import client_address

from .lockout import login_slow_down
from .selectors import user_roles


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Accounts come from HR data and administrators, never from self sign-up."""
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        """The client behind trusted proxies, as axes and the throttle see it.

        allauth's own guess reads REMOTE_ADDR: behind the reverse proxy every request
        would share one address, and its per-address rate limits would become one limit
        for the whole installation.
        """
        return client_address(request) or super().get_client_ip(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """allauth's per-address limits first, then the slowdown per login name."""
        super().pre_authenticate(request, **credentials)
        login_slow_down(request, credentials)

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Enrolling the first factor just after logging in needs no second login.

        allauth asks to re-enter the password before any change to the factors. People
        who log in through their municipality's provider have no password here, so they
        could never activate the TOTP the 2FA middleware sends them to. A fresh login
        (within ACCOUNT_REAUTHENTICATION_TIMEOUT) is as good as a re-entered password for
        the first factor; changing or removing an existing factor still asks for it.
        """
        required = super().is_reauthentication_required(app=app, **kwargs)
        if not required or app != "allauth.mfa":
            return required
        request = context.request
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return True
        if Authenticator.objects.filter(user=user).exists():
            return True
        records = get_authentication_records(request, user)
        if not records:
            return True
        age = time.time() - float(records[-1]["at"])
        return age >= settings.ACCOUNT_REAUTHENTICATION_TIMEOUT


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        """Single sign-on logs in existing users (matched by e-mail); it creates none."""
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        """A municipality's provider vouches only for that municipality's employees.

        Without this, any configured provider could log in anyone in the region, a
        regional administrator included, by asserting their e-mail address. Whether the
        provider asserted a second factor is recorded at login (signals.on_login).
        """
        super().pre_social_login(request, sociallogin)
        user = sociallogin.user
        if user is None or not user.pk:
            return  # unknown e-mail address: sign-up is closed, allauth refuses
        employee = user_roles(user).employee
        if employee is None or employee.organisation.slug != sociallogin.account.provider:
            audit_record(action="login.failed", result=Result.FAILURE, object_type="accounts.user")
            messages.error(
                request,
                _(
                    "U kunt via deze organisatie niet inloggen. Gebruik de inlog van uw eigen "
                    "organisatie."
                ),
            )
            raise ImmediateHttpResponse(redirect("account_login"))

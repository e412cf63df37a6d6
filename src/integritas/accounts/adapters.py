"""allauth adapters: no self sign-up; SSO only for known users; OIDC second factor."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest

from .second_factor import OIDC_MFA_SESSION_KEY, oidc_claims_prove_second_factor


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Accounts come from HR data and administrators, never from self sign-up."""
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        """Single sign-on logs in existing users (matched by e-mail); it creates none."""
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        """Remember whether the provider asserted a second factor for this login."""
        super().pre_social_login(request, sociallogin)
        request.session.pop(OIDC_MFA_SESSION_KEY, None)
        extra = sociallogin.account.extra_data or {}
        id_token = extra.get("id_token") or {}
        user = sociallogin.user
        if (
            user is not None
            and user.pk
            and oidc_claims_prove_second_factor(sociallogin.account.provider, id_token)
        ):
            request.session[OIDC_MFA_SESSION_KEY] = user.pk

"""Single sign-on views: allauth's OpenID Connect flow, with the ID token's signature checked.

allauth skips the signature of an ID token it fetched itself from the token endpoint,
as OpenID Connect Core 3.1.3.7 allows over TLS. We do not rely on that: the token's
`amr`/`acr` decide whether a privileged user has passed a second factor (R-BIO-2), and
whoever can answer at the token endpoint (a wrong `SERVER_URL`, a proxy, plain HTTP)
could otherwise assert one. One fetch of the provider's published keys per login is
cheap. urls.py routes allauth's login and callback paths here, before allauth's own.
"""

from typing import Any

from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse


class SignatureCheckingAdapter(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app: SocialApp, id_token: str) -> dict[str, Any]:
        """Issuer, audience, expiry and always the signature, by the provider's keys.

        A token without a key id (`kid`) cannot be matched to a published key: refused
        as invalid, like a bad signature, instead of failing with a server error.
        """
        config = self.openid_config
        try:
            return jwtkit.verify_and_decode(
                credential=id_token,
                keys_url=config["jwks_uri"],
                issuer=config["issuer"],
                audience=app.client_id,
                lookup_kid=jwtkit.lookup_kid_jwk,
                verify_signature=True,
            )
        except KeyError as exc:
            raise OAuth2Error("Invalid id_token") from exc


@login_not_required
def oidc_login(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        view = OAuth2LoginView.adapter_view(SignatureCheckingAdapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc


@login_not_required
def oidc_callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        view = OAuth2CallbackView.adapter_view(SignatureCheckingAdapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc

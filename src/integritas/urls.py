"""Root URLs.

Public: /accounts/ (login), /meldpunt/, /openbaar/ (the public register), /healthz,
/i18n/ (language switch); everything else needs a login.
Errors (400, 403, 404, 500; the CSRF failure in settings) are answered by core/errors.py.
"""

from django.urls import include, path

from integritas.accounts import sso
from integritas.accounts import views as accounts_views
from integritas.cases.intake import held
from integritas.core import errors
from integritas.core import views as core_views

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error

urlpatterns = [
    path("", include("integritas.portal.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon),
    # Before allauth's own: the e-mail address comes from the organisation, never from
    # the user (accounts/views.py, email_managed); allauth's page would let them change it.
    path("accounts/email/", accounts_views.email_managed, name="account_email"),
    # Before allauth's own: single sign-on that always checks the ID token's signature
    # (accounts/sso.py). allauth's names still reverse to these same paths.
    path("accounts/oidc/<str:provider_id>/login/", sso.oidc_login),
    path("accounts/oidc/<str:provider_id>/login/callback/", sso.oidc_callback),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("beheer/vertrouwenspersonen/", include("integritas.counsel.urls")),
    path("beheer/vervangers/", include("integritas.cases.substitutes.urls")),
    path("beheer/", include("integritas.accounts.urls")),
    path("beheer/audit/", include("integritas.accounts.audit_log.urls")),
    path("meldpunt/", include("integritas.cases.intake.urls")),
    path("meldingen/vastgehouden/", held.held_queue, name="held_queue"),
    path("meldingen/bijlagen/", include("integritas.cases.attachments.urls")),
    path("meldingen/", include("integritas.cases.handling.urls")),
    path("registraties/", include("integritas.registers.urls")),
    path("openbaar/", include("integritas.registers.public_urls")),
    path("documenten/", include("integritas.policies.urls")),
    path("verplichtingen/", include("integritas.obligations.urls")),
    path("risicoanalyse/", include("integritas.risks.urls")),
    path("bewustwording/", include("integritas.awareness.urls")),
    path("api/v1/", include("integritas.api.urls")),
    path("vertrouwenspersoon/", include("integritas.counsel.rooms_urls")),
    path("", include("integritas.accounts.organisation_pages.urls")),
]

"""Root URLs.

Public: /accounts/ (login), /healthz, /i18n/ (language switch); everything else needs a login.
"""

from django.urls import include, path

from integritas.accounts import views as account_views
from integritas.core import views as core_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("leeg/", account_views.trivial, name="trivial"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/vertrouwenspersonen/", include("integritas.counsel.urls")),
    path("beheer/vervangers/", include("integritas.cases.urls_substitutes")),
    path("beheer/", include("integritas.accounts.urls")),
    path("beheer/audit/", include("integritas.audit.urls")),
    path("meldpunt/", include("integritas.cases.urls_meldpunt")),
    path("meldingen/bijlagen/", include("integritas.cases.urls_attachments")),
    path("meldingen/", include("integritas.cases.urls")),
    path("api/v1/", include("integritas.api.urls")),
    path("", include("integritas.organisations.urls")),
]

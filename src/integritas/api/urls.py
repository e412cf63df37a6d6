"""/api/v1/: the public Meldpunt endpoints and the OpenAPI document.

`csrf_exempt` is explicit on purpose (DRF's APIView applies it too). CSRF protects actions
that a browser authorises with a cookie; these endpoints authenticate nobody and never read
the session, so a cross-site request gains nothing a direct request would not. They also
accept JSON only, which a plain HTML form on another site cannot send.
"""

from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"
urlpatterns = [
    path(
        "meldpunt/meldingen/",
        csrf_exempt(views.ReportCreateView.as_view()),
        name="meldpunt-report-create",
    ),
    path("meldpunt/postvak/", csrf_exempt(views.MailboxView.as_view()), name="meldpunt-mailbox"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The HR system API (token-authenticated; api/hr/).
    path("", include("integritas.api.hr.urls")),
]

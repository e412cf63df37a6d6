"""The application's URLs and error handlers, plus views that fail, for the error pages."""

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from integritas.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


class DatabaseBrokeError(RuntimeError):
    pass


def broken(request: HttpRequest) -> HttpResponse:
    raise DatabaseBrokeError("Traceback secret: relation integritas_case does not exist")


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("Invalid HTTP_HOST header secret")


urlpatterns = [
    path("accounts/kapot/", broken),
    path("meldpunt/kapot/", broken),
    path("accounts/verdacht/", suspicious),
    *urlpatterns,
]

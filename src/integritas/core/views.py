"""Views that belong to no domain: health check, favicon, the language choice.

The error pages are in errors.py.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .middleware import SESSIONLESS_PATH_PREFIXES, supported_language


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers; 503 otherwise. Reveals nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico by themselves; point them at the static icon."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (cookie, safe redirect), and the choice kept on the user.

    Kept on the user so that it follows them to another browser or after the cookie is
    gone; the LanguageMiddleware reads both. Not from the Meldpunt's pages: no write on an
    employee's row may show that they were there (DESIGN §2); the cookie is enough.
    """
    response = django_set_language(request)
    language = supported_language(request.POST.get("language"))
    user = request.user
    if (
        language
        and settings.LANGUAGE_COOKIE_NAME in response.cookies
        and user.is_authenticated
        and not request.POST.get("next", "").startswith(SESSIONLESS_PATH_PREFIXES)
        and getattr(user, "language", language) != language
    ):
        get_user_model()._default_manager.filter(pk=user.pk).update(language=language)
    return response

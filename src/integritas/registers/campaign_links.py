"""The way back to the re-confirmation page after a registration was added, changed or
ended from it: the links there carry `?terug=herbevestiging`, and the form posts to its
own address, so the view that saved sends the employee back (to a fixed page only)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

BACK_PARAMETER = "terug"
BACK_VALUE = "herbevestiging"


def back_to_confirmation(request: HttpRequest) -> HttpResponse | None:
    if request.GET.get(BACK_PARAMETER) == BACK_VALUE:
        return redirect("registers:reconfirm")
    return None

"""The public register of side activities: no login (R-AW-7)."""

from django.urls import path

from . import public_views

app_name = "public_register"

urlpatterns = [
    path("nevenwerkzaamheden/", public_views.index, name="index"),
    path(
        "nevenwerkzaamheden/<slug:slug>/", public_views.organisation_register, name="organisation"
    ),
    path("nevenwerkzaamheden/<slug:slug>.csv", public_views.organisation_csv, name="csv"),
    path("nevenwerkzaamheden/<slug:slug>.json", public_views.organisation_json, name="json"),
]

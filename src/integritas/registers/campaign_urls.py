"""The pages of the yearly re-confirmation, in the `registers` namespace (urls.py)."""

from django.urls import path

from . import campaign_views

urlpatterns = [
    path("herbevestiging/", campaign_views.campaign_progress, name="campaigns"),
    path("herbevestiging/openen/", campaign_views.campaign_open, name="campaign_open"),
    path("herbevestiging/bevestigen/", campaign_views.reconfirm, name="reconfirm"),
]

"""The token page, included by accounts.organisation_pages.urls under
organisaties/<slug>/api-sleutels/ (namespace "organisations")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.token_list, name="api_tokens"),
    path("<int:pk>/beoordelen/", views.token_decide, name="api_token_decide"),
    path("<int:pk>/intrekken/", views.token_revoke, name="api_token_revoke"),
]

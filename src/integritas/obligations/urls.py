"""The pages of `obligations`."""

from django.urls import path

from . import views

app_name = "obligations"

urlpatterns = [
    path("", views.duty_list, name="duty_list"),
    path("team/", views.team, name="team"),
    path("nieuw/", views.duty_create, name="duty_create"),
    path("regels/", views.settings_list, name="settings_list"),
    path("regels/<slug:slug>/", views.settings_edit, name="settings_edit"),
    path("<int:pk>/", views.duty_detail, name="duty_detail"),
    path("<int:pk>/vastleggen/", views.duty_record, name="duty_record"),
    path("<int:pk>/integriteit-besproken/", views.interview_record, name="interview_record"),
    path("<int:pk>/laten-vervallen/", views.duty_close, name="duty_close"),
    path(
        "<int:pk>/integriteitsverklaring/",
        views.declaration_acknowledge,
        name="declaration_acknowledge",
    ),
    path("<int:pk>/formulier-eed-of-belofte.pdf", views.oath_form, name="oath_form"),
    path(
        "<int:pk>/formulier-integriteitsverklaring.pdf",
        views.declaration_form,
        name="declaration_form",
    ),
    path("<int:pk>/ondertekend-formulier/", views.signed_form_download, name="signed_form"),
]

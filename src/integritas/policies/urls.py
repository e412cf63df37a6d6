"""The pages of `policies` (mounted at /documenten/)."""

from django.urls import path

from . import views

app_name = "policies"

_V = "<int:pk>/versies/<int:number>/"

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("nieuw/", views.document_create, name="document_create"),
    path("gedragscode/", views.code_of_conduct, name="code_of_conduct"),
    path("bevestigingen/", views.acknowledgements, name="acknowledgements"),
    path(
        "bevestigingen/<slug:slug>/<int:version_pk>/",
        views.acknowledgements_pending,
        name="acknowledgements_pending",
    ),
    path("<int:pk>/", views.document_detail, name="document_detail"),
    path("<int:pk>/aanvulling/<slug:slug>/", views.addition_create, name="addition_create"),
    path("<int:pk>/versies/nieuw/", views.version_create, name="version_create"),
    path(_V, views.version_detail, name="version_detail"),
    path(_V + "wijzigen/", views.version_edit, name="version_edit"),
    path(_V + "besluit/", views.step_add, name="step_add"),
    path(_V + "vaststellen/", views.version_adopt, name="version_adopt"),
    path(_V + "afdrukken/", views.version_print, name="version_print"),
    path(_V + "pdf/", views.version_pdf, name="version_pdf"),
    path(_V + "wijzigingen/", views.version_changes, name="version_changes"),
    path(_V + "bevestigen/", views.acknowledge, name="acknowledge"),
]

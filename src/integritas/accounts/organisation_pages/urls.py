from django.urls import include, path

from . import views

app_name = "organisations"
urlpatterns = [
    path("organisaties/", views.organisation_list, name="organisation_list"),
    path("organisaties/<slug:slug>/", views.organisation_edit, name="organisation_edit"),
    path("medewerkers/", views.employee_list, name="employee_list"),
    path("medewerkers/nieuw/", views.employee_create, name="employee_create"),
    path(
        "medewerkers/<int:pk>/bewaarplicht/",
        views.employee_legal_hold,
        name="employee_legal_hold",
    ),
    path("hr-import/", views.hr_import, name="hr_import"),
    path(
        "organisaties/<slug:slug>/api-sleutels/",
        include("integritas.accounts.api_tokens.urls"),
    ),
]

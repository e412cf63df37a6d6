"""The pages of `risks` (under /risicoanalyse/)."""

from django.urls import path

from . import views

app_name = "risks"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("regio/", views.region_heatmap, name="region"),
    path("regio/export.<str:fmt>", views.region_export, name="region_export"),
    path("maatregelen/", views.measure_list, name="measure_list"),
    path("maatregelen/<int:pk>/", views.measure_edit, name="measure_edit"),
    path("functie/<int:function_pk>/beoordelen/", views.assess, name="assess"),
    path("analyse/<int:pk>/", views.assessment_detail, name="assessment"),
    path("analyse/<int:pk>/aanpassen/", views.assessment_override, name="override"),
    path("analyse/<int:pk>/vaststellen/", views.assessment_confirm, name="confirm"),
    path("analyse/<int:pk>/doorvoeren/", views.assessment_apply, name="apply"),
    path("<slug:slug>/", views.organisation_detail, name="organisation"),
    path("<slug:slug>/heatmap/", views.organisation_heatmap, name="heatmap"),
    path("<slug:slug>/export.<str:fmt>", views.organisation_export, name="export"),
    path("<slug:slug>/factoren/", views.factors, name="factors"),
    path("<slug:slug>/maatregelen/nieuw/", views.measure_create, name="measure_create"),
]

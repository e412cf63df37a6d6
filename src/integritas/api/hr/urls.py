"""/api/v1/hr/: included by api/urls.py (namespace "api")."""

from django.urls import path

from . import views

urlpatterns = [
    path("hr/afdelingen/", views.OrgUnitListView.as_view(), name="hr-org-units"),
    path("hr/functies/", views.FunctionListView.as_view(), name="hr-functions"),
    path("hr/medewerkers/", views.EmployeeView.as_view(), name="hr-employees"),
    path("hr/verplichtingen/", views.DutyListView.as_view(), name="hr-duties"),
]

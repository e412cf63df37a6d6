"""/api/v1/hr/: included by api/urls.py (namespace "api").

Duties (obligations, built in parallel) get their read route here:
``path("hr/verplichtingen/", DutyListView.as_view(), name="hr-duties")`` with a view
like EmployeeView.get over ``integritas.obligations.selectors`` (see the package docstring).
"""

from django.urls import path

from . import views

urlpatterns = [
    path("hr/afdelingen/", views.OrgUnitListView.as_view(), name="hr-org-units"),
    path("hr/functies/", views.FunctionListView.as_view(), name="hr-functions"),
    path("hr/medewerkers/", views.EmployeeView.as_view(), name="hr-employees"),
]

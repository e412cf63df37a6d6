"""Appointments of internal counsellors (HRM) and the central counsellor's trainings and
intervisie with attendance, at /vertrouwenspersoon/bijeenkomsten/."""

from django.urls import path

from . import views

app_name = "counsel_training"
urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("nieuw/", views.session_create, name="session_create"),
    path("<int:pk>/", views.session_edit, name="session_edit"),
    path("benoemingen/", views.appointment_list, name="appointment_list"),
    path("benoemingen/<slug:slug>/nieuw/", views.appointment_create, name="appointment_create"),
    path("benoemingen/<int:pk>/", views.appointment_edit, name="appointment_edit"),
]

"""The pages of `awareness` (under /bewustwording/)."""

from django.urls import path

from . import views

app_name = "awareness"

urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("activiteit/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activiteit/<int:pk>/aanwezig/", views.attendance_add, name="attendance_add"),
    path("activiteit/<int:pk>/presentielijst/", views.attendance_upload, name="attendance_upload"),
    path("activiteit/<int:pk>/afronden/", views.activity_complete, name="activity_complete"),
    path("dilemmas/", views.dilemma_list, name="dilemma_list"),
    path("dilemmas/besproken/", views.discussion_list, name="discussion_list"),
    path("dilemmas/<slug:slug>/", views.dilemma_detail, name="dilemma_detail"),
    path("<slug:slug>/nieuw/", views.activity_create, name="activity_create"),
]

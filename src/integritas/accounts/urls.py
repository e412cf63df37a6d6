from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("gebruikers/", views.user_list, name="user_list"),
    path("gebruikers/nieuw/", views.user_create, name="user_create"),
    path("gebruikers/<int:pk>/", views.user_detail, name="user_detail"),
    path("rollen/", views.assignment_list, name="assignment_list"),
    path("rollen/nieuw/", views.assignment_create, name="assignment_create"),
    path("rollen/<int:pk>/beoordelen/", views.assignment_decide, name="assignment_decide"),
    path("rollen/<int:pk>/intrekken/", views.assignment_revoke, name="assignment_revoke"),
    path("toegangsreview/", views.access_review, name="access_review"),
]

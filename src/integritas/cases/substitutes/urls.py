from django.urls import path

from . import views

app_name = "substitutes"
urlpatterns = [
    path("", views.substitute_list, name="list"),
    path("nieuw/", views.substitute_create, name="create"),
    path("<int:pk>/beoordelen/", views.substitute_decide, name="decide"),
    path("<int:pk>/intrekken/", views.substitute_revoke, name="revoke"),
]

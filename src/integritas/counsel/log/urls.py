"""The vertrouwenspersoon's own log, at /vertrouwenspersoon/ (rooms_urls.py)."""

from django.urls import path

from . import views

app_name = "counsel_log"
urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("nieuw/", views.entry_create, name="entry_create"),
    path("<int:pk>/", views.entry_detail, name="entry_detail"),
    path("<int:pk>/wijzigen/", views.entry_edit, name="entry_edit"),
    path("<int:pk>/verwijderen/", views.entry_delete, name="entry_delete"),
    path("cijfers/", views.figures, name="figures"),
]

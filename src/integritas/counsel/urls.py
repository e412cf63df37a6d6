"""Administration of the directory of vertrouwenspersonen, at /beheer/vertrouwenspersonen/."""

from django.urls import path

from . import views

app_name = "counsel"
urlpatterns = [
    path("", views.listing_list, name="listing_list"),
    path("<slug:slug>/nieuw/", views.listing_create, name="listing_create"),
    path("<int:pk>/", views.listing_edit, name="listing_edit"),
    path("<int:pk>/verwijderen/", views.listing_delete, name="listing_delete"),
]

"""Attachment downloads, mounted at /meldingen/bijlagen/."""

from django.urls import path

from . import views_attachments

app_name = "attachments"
urlpatterns = [
    path("<int:pk>/", views_attachments.attachment_download, name="download"),
]

"""The pages of `awareness`."""

from django.urls import path  # noqa: F401

app_name = "awareness"

urlpatterns: list = []

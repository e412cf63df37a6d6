"""The pages of `obligations`."""

from django.urls import path  # noqa: F401

app_name = "obligations"

urlpatterns: list = []

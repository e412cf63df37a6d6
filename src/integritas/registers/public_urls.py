"""The public register of side activities: no login (R-AW-7)."""

from django.urls import path  # noqa: F401

app_name = "public_register"

urlpatterns: list = []

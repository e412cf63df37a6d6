"""Audit vocabulary: results and origins (R-BIO-1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

REGION_CHAIN = "region"


class Result(models.TextChoices):
    SUCCESS = "success", _("Gelukt")
    DENIED = "denied", _("Geweigerd")
    FAILURE = "failure", _("Mislukt")


class Origin(models.TextChoices):
    WEB = "web", _("Webapplicatie")
    API = "api", _("API")
    CLI = "cli", _("Opdrachtregel")
    SYSTEM = "system", _("Systeem")

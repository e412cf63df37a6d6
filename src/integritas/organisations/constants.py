"""Choices of the organisations app: English values, Dutch labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Gemeente")
    SHARED_SERVICE = "shared_service", _("Uitvoeringsorganisatie / servicecentrum")


class EmploymentType(models.TextChoices):
    """Seed 3.2.5: in dienst takes the eed/belofte; inhuur and stagiairs sign a declaration."""

    EMPLOYED = "in_dienst", _("In dienst")
    HIRED = "inhuur", _("Inhuur")
    INTERN = "stagiair", _("Stagiair")


class VulnerableActivity(models.TextChoices):
    """The nine vulnerable activities of seed 3.2.4 (Modelaanpak Basisnormen)."""

    COLLECTING = "innen", _("Innen")
    OUTSOURCING = "uitbesteden", _("Uitbesteden")
    PAYING_OUT = "uitkeren", _("Uitkeren")
    GRANTING = "verlenen", _("Verlenen")
    ENFORCING = "handhaven", _("Handhaven")
    MONEY = "geld", _("Beheer van geld")
    GOODS = "goederen", _("Beheer van goederen")
    REAL_ESTATE = "vastgoed", _("Vastgoed")
    INFORMATION = "informatie", _("Informatie")


class ScreeningProfile(models.TextChoices):
    """VOG screening decided per function (R-BIO-3)."""

    NONE = "none", _("Geen VOG")
    GENERAL = "general", _("VOG algemeen screeningsprofiel")
    SPECIFIC = "specific", _("VOG specifiek screeningsprofiel")

"""The directory of vertrouwenspersonen (seed 3.2.10, R-WBK-6). Public contact data only."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from integritas.core.models import BaseModel


class CounsellorListing(BaseModel):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="counsellor_listings",
    )
    name = models.CharField(_("naam"), max_length=200)
    is_external = models.BooleanField(_("externe vertrouwenspersoon"), default=False)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    availability = models.CharField(_("bereikbaarheid"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("vertrouwenspersoon (gids)")
        verbose_name_plural = _("vertrouwenspersonen (gids)")
        ordering = ["organisation", "position", "name"]

    def __str__(self) -> str:
        return self.name

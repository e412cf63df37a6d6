from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwarenessConfig(AppConfig):
    name = "integritas.awareness"
    verbose_name = _("Bewustwording")

    def ready(self) -> None:
        from integritas.core.contributions import register

        from . import contributions, permissions  # noqa: F401

        register(contributions.CONTRIBUTION)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "integritas.cases"
    verbose_name = _("Meldpunt Integriteit")

    def ready(self) -> None:
        from . import checks, permissions  # noqa: F401

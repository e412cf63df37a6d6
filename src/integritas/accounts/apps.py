from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "integritas.accounts"
    verbose_name = _("Accounts en rollen")

    def ready(self) -> None:
        from integritas.audit.denials import guard_routes
        from integritas.core.contributions import register

        from . import contributions, permissions, refusals, signals  # noqa: F401

        register(contributions.CONTRIBUTION)
        guard_routes(refusals.ROUTES)

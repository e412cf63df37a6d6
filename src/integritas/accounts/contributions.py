"""The navigation entries of the pages this app keeps: user and role administration,
the organisations' settings, the employee list, the HR import and the audit log."""

from django.utils.translation import gettext_lazy as _

from integritas.core.contributions import Contribution, NavEntry

CONTRIBUTION = Contribution(
    app="accounts",
    navigation=(
        NavEntry(
            _("Medewerkers"), "organisations:employee_list", "organisations.view_employees", 600
        ),
        NavEntry(_("HR-import"), "organisations:hr_import", "organisations.import_hr", 610),
        NavEntry(_("Gebruikers"), "accounts:user_list", "accounts.manage_users", 800),
        NavEntry(_("Roltoewijzingen"), "accounts:assignment_list", "accounts.manage_users", 810),
        NavEntry(_("Toegangsreview"), "accounts:access_review", "accounts.view_access_review", 820),
        NavEntry(
            _("Organisaties"),
            "organisations:organisation_list",
            "organisations.change_settings",
            830,
        ),
        NavEntry(_("Auditlog"), "audit:event_list", "audit.view_events", 860),
    ),
)

"""When `seed_scale` refuses: outside demo settings, on real data, and a second time.

Real data is anything that may concern real people or organisations. The database may
hold only:

- organisations of the demo (its slugs) or of an earlier `seed_scale` (slug `schaal-…`),
  each with an integrity address under the reserved `.example` domain;
- users whose e-mail address is under `.example`;
- employees whose e-mail address is empty or under `.example`.

Anything else is real data and the command refuses. Generated data itself is recognised
by its units (codes `S-…`): a second run refuses too, because adding a second country
to the first would make neither the sizes nor the counts asked for.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from integritas.accounts.models import User
from integritas.demo import data
from integritas.organisations.models import Employee, Organisation, OrgUnit

from . import plan

FAKE_DOMAIN = ".example"


def real_data() -> list[str]:
    """What in the database looks real, in words; empty when nothing does."""
    found = []
    demo_slugs = [spec.slug for spec in data.ORGANISATIONS]
    organisations = Organisation.objects.exclude(
        (Q(slug__in=demo_slugs) | Q(slug__startswith=plan.SLUG_PREFIX))
        & Q(contact_email__iendswith=FAKE_DOMAIN)
    )
    if organisations.exists():
        found.append(
            _("%(count)d organisatie(s) die niet uit de demo of uit seed_scale komen")
            % {"count": organisations.count()}
        )
    users = User.objects.exclude(email__iendswith=FAKE_DOMAIN)
    if users.exists():
        found.append(
            _("%(count)d gebruiker(s) met een e-mailadres buiten .example")
            % {"count": users.count()}
        )
    employees = Employee.objects.exclude(email="").exclude(email__iendswith=FAKE_DOMAIN)
    if employees.exists():
        found.append(
            _("%(count)d medewerker(s) met een e-mailadres buiten .example")
            % {"count": employees.count()}
        )
    return found


def generated_before() -> bool:
    return OrgUnit.objects.filter(code__startswith=plan.UNIT_PREFIX).exists()

"""The demo data of the domain apps beyond the Meldpunt, one module per app, in order.

Policies come first (the gedragscode the duties point to), then the duties, the
registers, the counsellors' log, the risk analysis and awareness (whose trainings fulfil
duties). Each module's `seed(orgs, users)` is idempotent and returns what it made.
"""

from collections import Counter

from integritas.accounts.models import User
from integritas.organisations.models import Organisation

from . import awareness, campaigns, counsel_log, obligations, policies, registers, risks

SEEDERS = (policies, obligations, registers, campaigns, counsel_log, risks, awareness)


def seed_domains(orgs: dict[str, Organisation], users: dict[str, User]) -> Counter[str]:
    made: Counter[str] = Counter()
    for module in SEEDERS:
        made.update(module.seed(orgs, users))
    return made

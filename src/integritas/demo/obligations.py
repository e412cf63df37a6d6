"""Demo data: onboarding and yearly duties in every state.

Idempotent, through the app's services; called by seed.py after the people exist.
"""

from integritas.accounts.models import User
from integritas.organisations.models import Organisation


def seed(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    """Make what is missing; return the number of rows made per label."""
    return {}

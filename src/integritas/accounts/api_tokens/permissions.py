"""Who reaches the token page: an administrator (the organisation is checked per slug)."""

import rules

from integritas.accounts.permissions import is_administrator

rules.add_perm("accounts.manage_api_tokens", is_administrator)

"""Who may do what in the yearly re-confirmation (tested as a role x action matrix in
tests/registers/test_campaigns.py).

- The integrity officer opens a campaign for their organisation.
- HRM and the integrity officer of the organisation follow its progress; nobody else.
- Every current employee confirms their own registrations (`registers.register`).
"""

import rules

from .permissions import is_integrity_officer, keeps_register

rules.add_perm("registers.open_campaign", is_integrity_officer)
rules.add_perm("registers.view_campaigns", keeps_register)

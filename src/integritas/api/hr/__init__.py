"""The HR system API under /api/v1/hr/ (issue 12): token-authenticated, per organisation.

- ``authentication``: ``Authorization: Bearer itg_…`` against ``accounts.api_tokens``
  (constant-time digest comparison, no session), the failed attempts of a client bounded.
- ``throttling``: calls per token per minute, counted in the database (core.throttle).
- ``permissions``: the token's scope (read; write includes read).
- ``views``: the bulk upsert of employees with their org units and functions (the HR file
  import's own service, ``organisations.services.hr_file_import``: idempotent,
  all-or-nothing, the bad row named) and keyset-paged reads of org units, functions and
  employees. Every call is audited (``api.hr.*``, the token as object, ids only) and its
  counts kept in ``accounts.api_tokens.models.ApiCall``.

- ``GET verplichtingen/``: the duties of the token's organisation and their status
  (``integritas.obligations.selectors.duties_for_api``), filtered by personeelsnummer,
  status, te_laat and soort, keyset-paged on (due date, id).
"""

"""API tokens: how an HR system authenticates to /api/v1/hr/ (issue 12).

A token belongs to one organisation and carries one scope: ``read`` (org units, functions,
employees) or ``write`` (the bulk upsert as well). An administrator of the organisation
issues it on the page /organisaties/<slug>/api-sleutels/; a read token is in force at
once, a write token only after a *second* administrator of the same organisation approved
it through the four-eyes grant (`accounts.grants`): the token is itself a grant
(``ApiToken`` subclasses ``FourEyesGrant``; status pending / active / rejected / revoked).
Issue, approve, reject and revoke are audited as ``api_token.request`` / ``.grant`` /
``.approve`` / ``.reject`` / ``.revoke``.

The secret
----------
``itg_<key id>_<secret>``: a public key id (8 random bytes, hex) to find the row by its
unique index, and a secret of 32 random bytes (``secrets.token_urlsafe(32)``). The page
shows the whole token once, in the answer to the issuing POST; it is never stored.
What is stored is HMAC-SHA256(server key, secret), the server key derived from
``INTEGRITAS_RECEIPT_PEPPER`` with its own purpose. A fast keyed hash suffices: a
256-bit random secret cannot be guessed or brute-forced whatever the hash costs (a slow
hash protects low-entropy passwords, which these are not), and without the pepper a
stolen table cannot even be checked offline. The presented digest is compared with
``hmac.compare_digest`` (constant time). Rotating the pepper invalidates every token.
"""

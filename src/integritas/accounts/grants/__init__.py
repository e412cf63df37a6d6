"""Four-eyes grants: one person asks, a second administrator decides (R-BIO-2, DESIGN §2).

Anything that opens content or power to someone, or any other two-person step, is one
pattern: a row that is requested, then approved or rejected by a *different* administrator
of the same scope, and can be revoked. Role grants (`accounts.RoleAssignment`) and the
designation of substitutes (`cases.Substitute`) use it; register decisions and other
two-person steps reuse it the same way.

The interface
-------------

Model (`grants.models`)
    Subclass ``FourEyesGrant``. It brings ``status`` (``AssignmentStatus``: pending, active,
    rejected, revoked; default pending), ``requested_by``, ``decided_by`` and
    ``decided_at`` (a kind that records why adds its own ``reason``, as
    ``RoleAssignment`` does), and declares on the class:

    - ``four_eyes_scope``: the name of the organisation foreign key whose administrators
      decide. Empty (null) on a row means the region: regional administrators decide.
    - ``four_eyes_beneficiary``: the name of the user foreign key who gains by the grant
      (they may neither ask for it nor decide it), or ``""`` when nobody does.
    - ``four_eyes_identity``: the fields that make two rows "the same grant"; a second
      open (pending or active) one is refused.

    Put ``four_eyes_constraint("<name>")`` in ``Meta.constraints``: the database refuses a
    row decided by its own requester.

Policy and service (`grants.services`)
    Describe the kind once, next to the app's services::

        SUBSTITUTE_GRANT = FourEyes(
            model=Substitute,
            action="substitute",      # audit: substitute.request / .grant / .approve /
                                      # .reject / .revoke, each with result and scope
            texts=GrantTexts(...),    # what a refused step says (to_self, duplicate,
                                      # not_open, outside_scope, cannot_decide)
            second_approval=...,      # (grant) -> bool; False: granted at once
            on_revoke=...,            # in the revoking transaction: (grant, was_active)
            after_write=...,          # after each write: e.g. drop a cached role set
        )

    Then ``grant_request(kind=, actor=, grant=)`` with an unsaved row (its own fields
    set; the app validates them first), ``grant_decide(kind=, actor=, grant=, approve=)``
    and ``grant_revoke(kind=, actor=, grant=)``. Each is keyword-only, atomic (the row is
    locked with ``select_for_update`` to decide or revoke), permission-checked, and
    writes one audit event; a refused attempt is recorded with result "denied" and
    raises ``PermissionDenied``; a duplicate, or revoking what is no longer open, raises
    ``ValidationError``. ``actor=None`` is the system itself (seed, command line): its
    request is active at once, as is any request whose ``second_approval`` says no. The
    app keeps its own keyword-named wrappers (``role_assignment_request(...)``,
    ``substitute_decide(...)``) as its public face.

Permissions (`grants.permissions`)
    ``administers(user, organisation_id)``; the ``rules`` predicates ``manages_grants``
    (an administrator somewhere: registered as "accounts.manage_grants") and
    ``can_decide_grant(user, grant)``: pending, not the requester, not the beneficiary,
    an administrator of the scope.

Views (`grants.views`)
    ``decide, revoke = grant_views(kind=, visible=, success_url=, revoked=)``: the two
    POST views, for "accounts.manage_grants". The row comes from the ``visible(user)``
    selector (404 outside it), a refused step is a 403; the form posts
    ``decision=approve`` (anything else rejects). Wire them in the app's urls.py.
"""

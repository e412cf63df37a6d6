"""Reads of the intake: the case a form token made (for the receipt page)."""

import hashlib

from integritas.cases.models import Case, IntakeSubmission


def case_for_form_token(form_token: str) -> Case | None:
    """The case an intake form token created (the receipt page's proof download).

    The digest is the one `services.case_submit` stores in IntakeSubmission.token_hash.
    """
    digest = hashlib.sha256(form_token.encode()).hexdigest()
    submission = (
        IntakeSubmission.objects.select_related("case", "case__organisation")
        .filter(token_hash=digest)
        .first()
    )
    return submission.case if submission is not None else None

"""The forms to print and sign as PDFs (weasyprint): the eed or belofte, and the
integriteitsverklaring of hired workers and interns.

The oath form holds the employee's details and the organisation's two texts
(ObligationSettings, the Ambtenarenwet's eed and belofte by default); the one who takes
the oath strikes through what does not apply, and both sign. The declaration form holds
the organisation's integriteitsverklaring (its current version) and is signed by the
hired worker or intern and on behalf of the organisation. The signed scan of either
comes back as evidence.
"""

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from .models import Duty
from .selectors import settings_for


def _pdf(template_name: str, context: dict[str, Any]) -> bytes:
    html = render_to_string(template_name, context)
    # Imported here: weasyprint loads its stylesheets (and logs) on import, which every
    # process would otherwise pay at start-up for a form printed now and then.
    from weasyprint import HTML

    # No base URL: the template is self-contained, nothing is fetched.
    return HTML(string=html, base_url=None).write_pdf()


def oath_form_pdf(duty: Duty) -> bytes:
    employee = duty.employee
    rules = settings_for(duty.organisation_id)
    return _pdf(
        "obligations/oath_form_pdf.html",
        {
            "duty": duty,
            "employee": employee,
            "organisation": employee.organisation,
            "function": employee.function,
            "eed": rules.oath_text_eed,
            "belofte": rules.oath_text_belofte,
            "printed_on": timezone.localdate(),
        },
    )


def declaration_form_pdf(duty: Duty) -> bytes:
    """R-AW-4, seed 3.2.5: the integriteitsverklaring to sign on paper ("ontvangen,
    gelezen en ik houd mij eraan"), with the version of the organisation's text."""
    employee = duty.employee
    rules = settings_for(duty.organisation_id)
    return _pdf(
        "obligations/declaration_form_pdf.html",
        {
            "duty": duty,
            "employee": employee,
            "organisation": employee.organisation,
            "function": employee.function,
            "text": rules.declaration_text,
            "version": rules.declaration_version,
            "printed_on": timezone.localdate(),
        },
    )

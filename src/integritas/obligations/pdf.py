"""The form of the eed or belofte as a PDF (weasyprint), to print and sign by both.

It holds the employee's details and the organisation's two texts (ObligationSettings,
the Ambtenarenwet's eed and belofte by default); the one who takes the oath strikes
through what does not apply, and both sign. The signed scan comes back as evidence.
"""

from django.template.loader import render_to_string
from django.utils import timezone

from .models import Duty
from .selectors import settings_for


def oath_form_pdf(duty: Duty) -> bytes:
    employee = duty.employee
    rules = settings_for(duty.organisation_id)
    html = render_to_string(
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
    # Imported here: weasyprint loads its stylesheets (and logs) on import, which every
    # process would otherwise pay at start-up for a form printed now and then.
    from weasyprint import HTML

    # No base URL: the template is self-contained, nothing is fetched.
    return HTML(string=html, base_url=None).write_pdf()

"""A version as a tagged PDF (PDF/UA-1) with weasyprint, fonts from the system."""

from django.template.loader import render_to_string
from weasyprint import HTML

from .models import DocumentVersion
from .rendering import render_markdown, table_of_contents
from .selectors import adoption_steps


def version_pdf_bytes(version: DocumentVersion) -> bytes:
    rendered = render_markdown(version.content)
    html = render_to_string(
        "policies/version_pdf.html",
        {
            "document": version.document,
            "version": version,
            "html": rendered.html,
            "toc": table_of_contents(rendered.headings),
            "steps": adoption_steps(version),
        },
    )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1") or b""

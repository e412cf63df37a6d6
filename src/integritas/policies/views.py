"""The pages of the document centre. Thin: selectors read, services write."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from integritas.accounts.selectors import user_roles
from integritas.accounts.types import AuthenticatedHttpRequest

from . import selectors, services
from .constants import DocumentKind, VersionStatus
from .diff import Change, diff_sections
from .forms import (
    AcknowledgeForm,
    AdditionForm,
    AdoptForm,
    AdoptionStepForm,
    DocumentForm,
    SearchForm,
    VersionForm,
)
from .models import Document, DocumentVersion
from .pdf import version_pdf_bytes
from .permissions import keeps_document
from .rendering import render_markdown, table_of_contents

GET_POST = require_http_methods(["GET", "POST"])


def _posted(request: AuthenticatedHttpRequest) -> Any:
    """The posted data (also when empty: an unticked box must still be refused)."""
    return request.POST if request.method == "POST" else None


def _document(request: AuthenticatedHttpRequest, pk: int) -> Document:
    document = selectors.document_get(request.user, pk)
    if document is None:
        raise Http404
    return document


def _version(request: AuthenticatedHttpRequest, pk: int, number: int) -> DocumentVersion:
    document = _document(request, pk)
    version = selectors.version_get(request.user, document, number)
    if version is None:
        raise Http404
    version.document = document
    return version


def _keeper(request: AuthenticatedHttpRequest, document: Document) -> None:
    if not keeps_document(request.user, document):
        raise PermissionDenied


def _form_errors(form: Any, error: ValidationError) -> None:
    """Put a service's ValidationError on the form (field errors where it names fields)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@permission_required("policies.view_documents", raise_exception=True)
def document_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every document the user reads, by kind, with its current version; and a search."""
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    hits = selectors.search_current(request.user, query) if query else None
    documents = selectors.document_list(request.user)
    return render(
        request,
        "policies/document_list.html",
        {
            "form": form,
            "query": query,
            "hits": hits,
            "documents": documents,
            "can_create": request.user.has_perm("policies.keep_documents"),
        },
    )


@GET_POST
@permission_required("policies.keep_documents", raise_exception=True)
def document_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    orgs, regions = selectors.keepable_scopes(request.user)
    scopes = [(f"region-{r.pk}", r.name) for r in regions] + [(f"org-{o.pk}", o.name) for o in orgs]
    form = DocumentForm(_posted(request), scopes=scopes)
    if request.method == "POST" and form.is_valid():
        kind, _dash, pk = form.cleaned_data["scope"].partition("-")
        target = {"region": {r.pk: r for r in regions}, "org": {o.pk: o for o in orgs}}[kind]
        try:
            document = services.document_create(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                organisation=target[int(pk)] if kind == "org" else None,
                region=target[int(pk)] if kind == "region" else None,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("Het document is aangemaakt. Voeg nu de eerste versie toe.")
            )
            return redirect("policies:version_create", document.pk)
    return render(request, "policies/document_form.html", {"form": form})


@GET_POST
def addition_create(request: AuthenticatedHttpRequest, pk: int, slug: str) -> HttpResponse:
    """Start the local addition ("eigen inkleuring") of an organisation to a regional text."""
    document = _document(request, pk)
    organisation = next(
        (o for o in selectors.organisations_to_add_for(request.user, document) if o.slug == slug),
        None,
    )
    if organisation is None:
        raise Http404
    form = AdditionForm(
        _posted(request),
        initial={
            "title": _("%(title)s: aanvulling %(name)s")
            % {"title": document.title, "name": organisation.name}
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            addition = services.document_create(
                actor=request.user,
                kind=document.kind,
                title=form.cleaned_data["title"],
                organisation=organisation,
                base=document,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("De aanvulling is aangemaakt. Voeg nu de tekst toe."))
            return redirect("policies:version_create", addition.pk)
    return render(
        request,
        "policies/addition_form.html",
        {"form": form, "document": document, "organisation": organisation},
    )


def _page(
    request: AuthenticatedHttpRequest,
    version: DocumentVersion,
    versions: list[DocumentVersion] | None = None,
) -> HttpResponse:
    """A version's page; `versions` (newest first) when the caller read them already."""
    document = version.document
    rendered = render_markdown(version.content)
    keeps = keeps_document(request.user, document)
    if versions is None:
        versions = list(selectors.versions_visible(request.user, document))
    is_current = version.status == VersionStatus.ADOPTED
    employee = user_roles(request.user).employee
    waiting = None
    if (
        is_current
        and employee is not None
        and document.kind == DocumentKind.CODE_OF_CONDUCT
        and document.base_id is None
    ):
        waiting = selectors.pending_code_versions(employee).filter(pk=version.pk).first()
    additions = [
        (
            addition,
            render_markdown(addition.version.content, prefix=f"a{addition.document.pk}-")
            if addition.version
            else None,
        )
        for addition in (selectors.additions_for(request.user, document) if is_current else [])
    ]
    return render(
        request,
        "policies/version_detail.html",
        {
            "document": document,
            "version": version,
            "html": rendered.html,
            "toc": table_of_contents(rendered.headings),
            "steps": selectors.adoption_steps(version),
            "versions": versions,
            "previous": next(
                (
                    other
                    for other in versions
                    if other.number < version.number and other.status != VersionStatus.CONCEPT
                ),
                None,
            ),
            "keeps": keeps,
            "is_current": is_current,
            "waiting": waiting,
            "additions": additions,
            "to_add": selectors.organisations_to_add_for(request.user, document)
            if document.region_id and request.user.has_perm("policies.keep_documents")
            else [],
        },
    )


def document_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The current version; a keeper sees the newest concept of a document without one."""
    return _document_page(request, _document(request, pk))


def _document_page(request: AuthenticatedHttpRequest, document: Document) -> HttpResponse:
    """The current version, found among the versions the page lists anyway (one query)."""
    versions = list(selectors.versions_visible(request.user, document))
    version = next((v for v in versions if v.status == VersionStatus.ADOPTED), None)
    if version is None and versions:
        version = versions[0]
    if version is None:
        if keeps_document(request.user, document):
            return redirect("policies:version_create", document.pk)
        raise Http404
    version.document = document
    return _page(request, version, versions)


@permission_required("policies.view_documents", raise_exception=True)
def code_of_conduct(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The gedragscode that applies to the user, under a fixed address (the menu)."""
    document = selectors.code_of_conduct_for(request.user)
    if document is None:
        return render(request, "policies/no_code_of_conduct.html")
    return _document_page(request, document)


def version_detail(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    return _page(request, _version(request, pk, number))


def version_print(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    version = _version(request, pk, number)
    rendered = render_markdown(version.content)
    return render(
        request,
        "policies/version_print.html",
        {
            "document": version.document,
            "version": version,
            "html": rendered.html,
            "toc": table_of_contents(rendered.headings),
            "steps": selectors.adoption_steps(version),
        },
    )


def version_pdf(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    version = _version(request, pk, number)
    response = HttpResponse(version_pdf_bytes(version), content_type="application/pdf")
    name = f"document-{version.document.pk}-versie-{version.number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def version_changes(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    """What changed from an earlier version (?van=<number>, default the previous one)."""
    version = _version(request, pk, number)
    document = version.document
    raw = request.GET.get("van", "")
    older = (
        selectors.version_get(request.user, document, int(raw))
        if raw.isdigit() and len(raw) < 9
        else selectors.previous_version(version)
    )
    if older is None or older.number == version.number:
        raise Http404
    changes = diff_sections(older.content, version.content)
    return render(
        request,
        "policies/version_changes.html",
        {
            "document": document,
            "version": version,
            "older": older,
            "changes": [c for c in changes if c.change != Change.UNCHANGED],
            "unchanged": [c for c in changes if c.change == Change.UNCHANGED],
            "versions": selectors.versions_visible(request.user, document),
        },
    )


@GET_POST
def version_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    _keeper(request, document)
    current = selectors.current_version(document)
    form = VersionForm(_posted(request), initial={"content": current.content if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_create(
                actor=request.user, document=document, **form.cleaned_data
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("De conceptversie is opgeslagen."))
            return redirect("policies:version_detail", document.pk, version.number)
    return render(request, "policies/version_form.html", {"form": form, "document": document})


@GET_POST
def version_edit(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    version = _version(request, pk, number)
    _keeper(request, version.document)
    if version.status != VersionStatus.CONCEPT:
        raise Http404
    form = VersionForm(
        _posted(request),
        initial={"content": version.content, "change_summary": version.change_summary},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.version_update(actor=request.user, version=version, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("De conceptversie is opgeslagen."))
            return redirect("policies:version_detail", pk, number)
    return render(
        request,
        "policies/version_form.html",
        {"form": form, "document": version.document, "version": version},
    )


@GET_POST
def step_add(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    version = _version(request, pk, number)
    _keeper(request, version.document)
    form = AdoptionStepForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.adoption_step_add(actor=request.user, version=version, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Het besluit is vastgelegd."))
            return redirect("policies:version_detail", pk, number)
    return render(
        request,
        "policies/step_form.html",
        {"form": form, "document": version.document, "version": version},
    )


@GET_POST
def version_adopt(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    version = _version(request, pk, number)
    _keeper(request, version.document)
    if version.status != VersionStatus.CONCEPT:
        raise Http404
    form = AdoptForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.version_adopt(
                actor=request.user,
                version=version,
                effective_date=form.cleaned_data["effective_date"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("De versie is vastgesteld; de vorige versie is vervallen."))
            return redirect("policies:version_detail", pk, number)
    return render(
        request,
        "policies/adopt_form.html",
        {
            "form": form,
            "document": version.document,
            "version": version,
            "steps": selectors.adoption_steps(version),
        },
    )


@GET_POST
def acknowledge(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    """Read the changes since the version last acknowledged (or the whole text the first
    time) and acknowledge: "ontvangen, gelezen en ik houd mij eraan"."""
    employee = user_roles(request.user).employee
    if employee is None:
        raise Http404
    document = _document(request, pk)
    version = selectors.version_get(request.user, document, number)
    if version is None:
        raise Http404
    version = selectors.code_version_for_acknowledgement(employee, version.pk)
    if version is None:
        raise Http404
    if not selectors.pending_code_versions(employee).filter(pk=version.pk).exists():
        messages.info(request, _("U heeft deze versie van de gedragscode al bevestigd."))
        return redirect("policies:version_detail", pk, number)
    form = AcknowledgeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.code_of_conduct_acknowledge(actor=request.user, version=version)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("Dank u wel. Uw bevestiging van de gedragscode is vastgelegd.")
            )
            return redirect("home")
    earlier = selectors.last_acknowledged_before(employee, version)
    context: dict[str, Any] = {
        "form": form,
        "document": document,
        "version": version,
        "earlier": earlier,
    }
    if earlier is not None:
        changes = diff_sections(earlier.content, version.content)
        context["changes"] = [c for c in changes if c.change != Change.UNCHANGED]
        context["unchanged_count"] = len(changes) - len(context["changes"])
    else:
        rendered = render_markdown(version.content)
        context["html"] = rendered.html
        context["toc"] = table_of_contents(rendered.headings)
    return render(request, "policies/acknowledge.html", context)


@permission_required("policies.view_acknowledgements", raise_exception=True)
def acknowledgements(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per version of the gedragscode: how many of the organisation's people acknowledged
    it, with a link to who has not yet."""
    organisations = list(selectors.organisations_for_acknowledgements(request.user)[:50])
    slug = request.GET.get("organisatie", "")
    organisation = next((o for o in organisations if o.slug == slug), None)
    if slug and organisation is None:
        raise Http404
    organisation = organisation or organisations[0]
    return render(
        request,
        "policies/acknowledgements.html",
        {
            "organisations": organisations,
            "organisation": organisation,
            "tallies": selectors.acknowledgement_tallies(organisation),
            "employees": selectors.current_employees_count(organisation),
        },
    )


@permission_required("policies.view_acknowledgements", raise_exception=True)
def acknowledgements_pending(
    request: AuthenticatedHttpRequest, slug: str, version_pk: int
) -> HttpResponse:
    organisation = (
        selectors.organisations_for_acknowledgements(request.user).filter(slug=slug).first()
    )
    if organisation is None:
        raise Http404
    version = selectors.tally_version_get(organisation, version_pk)
    if version is None:
        raise Http404
    raw = request.GET.get("na", "")
    page = selectors.employees_pending(
        organisation, version, int(raw) if raw.isdigit() and len(raw) < 12 else None
    )
    here = reverse("policies:acknowledgements_pending", args=[slug, version_pk])
    next_url = f"{here}?na={page.next_after}" if page.next_after else ""
    return render(
        request,
        "policies/acknowledgements_pending.html",
        {"organisation": organisation, "version": version, "page": page, "next_url": next_url},
    )

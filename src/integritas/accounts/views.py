"""User administration. Views stay thin: selectors read, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rules.contrib.views import permission_required

from . import selectors, services
from .api_tokens.selectors import write_tokens_for_review
from .constants import AssignmentStatus, Role
from .forms import RoleAssignmentForm, UserCreateForm
from .grants.views import grant_views
from .types import AuthenticatedHttpRequest

# Rows per page of the lists below; the access review's groups are small tables.
LIST_PAGE_SIZE = 50
ACCESS_REVIEW_ORGANISATIONS = 5


def _query_without_page(request: AuthenticatedHttpRequest) -> str:
    """The list's query string without its page number, for the page links."""
    query = request.GET.copy()
    query.pop("pagina", None)
    return query.urlencode()


@permission_required("accounts.manage_users", raise_exception=True)
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    users = selectors.users_for_administration(request.user)
    page = Paginator(users, LIST_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "accounts/user_list.html", {"page": page})


@permission_required("accounts.manage_users", raise_exception=True)
def user_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_create(
            actor=request.user,
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
        )
        messages.success(request, _("De gebruiker is aangemaakt."))
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form})


@permission_required("accounts.manage_users", raise_exception=True)
def user_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One user's roles, with (de)activation of the login."""
    managed = selectors.user_get_for_administration(request.user, pk)
    if managed is None:
        raise Http404
    if request.method == "POST":
        if managed.pk == request.user.pk:
            messages.error(request, _("U kunt uw eigen account niet uitschakelen."))
        else:
            services.user_set_active(
                actor=request.user, user=managed, active=request.POST.get("active") == "1"
            )
            messages.success(request, _("De gebruiker is bijgewerkt."))
        return redirect("accounts:user_detail", pk=managed.pk)
    assignments = managed.assignments.select_related("organisation", "region").order_by(
        "status", "role"
    )
    return render(
        request,
        "accounts/user_detail.html",
        {"managed": managed, "assignments": assignments},
    )


@permission_required("accounts.manage_users", raise_exception=True)
def assignment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    assignments = selectors.assignments_for_administration(request.user)
    pending = assignments.filter(status=AssignmentStatus.PENDING).order_by("created_at")
    # Keyset pages: ?na=<id> (the page after that row), ?voor=<id> (the page before it).
    page = selectors.active_assignments_page(
        request.user,
        after=request.GET.get("na"),
        before=request.GET.get("voor"),
        size=LIST_PAGE_SIZE,
    )
    return render(request, "accounts/assignment_list.html", {"pending": pending, "page": page})


@permission_required("accounts.manage_users", raise_exception=True)
def assignment_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisations, regions = selectors.administered_scopes(request.user)
    form = RoleAssignmentForm(
        request.POST or None,
        users=selectors.users_for_administration(request.user),
        organisations=organisations,
        regions=regions,
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.role_assignment_request(
                actor=request.user,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
                region=form.cleaned_data["region"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("U mag deze rol hier niet toekennen."))
        else:
            if assignment.status == AssignmentStatus.PENDING:
                messages.info(
                    request,
                    _("De rol wacht op goedkeuring door een tweede beheerder."),
                )
            else:
                messages.success(request, _("De rol is toegekend."))
            return redirect("accounts:assignment_list")
    return render(request, "accounts/assignment_form.html", {"form": form})


# Approve or reject a pending grant, revoke one: the shared four-eyes views.
assignment_decide, assignment_revoke = grant_views(
    kind=services.ROLE_GRANT,
    visible=selectors.assignments_for_administration,
    success_url="accounts:assignment_list",
    revoked=gettext_lazy("De rol is ingetrokken."),
)


@permission_required("accounts.view_access_review", raise_exception=True)
def access_review(request: AuthenticatedHttpRequest) -> HttpResponse:
    """R-BIO-2: every privileged assignment per organisation, for the yearly review.

    ACCESS_REVIEW_ORGANISATIONS organisations a page, the regional roles on the first: a
    region of 350 organisations holds more than 3,000 privileged assignments
    (docs/performance.md). Four queries: the organisations' count, the page's
    organisations and their assignments, and the page's organisations' write tokens."""
    organisations = selectors.organisations_for_role(request.user, Role.ADMINISTRATOR)
    page = Paginator(organisations, ACCESS_REVIEW_ORGANISATIONS).get_page(request.GET.get("pagina"))
    assignments = selectors.privileged_assignments_for_review(
        request.user,
        organisation_ids=[org.pk for org in page],
        regional=page.number == 1,
    )
    groups: dict[str, list] = {}
    for assignment in assignments:
        groups.setdefault(str(assignment.scope), []).append(assignment)
    # R-BIO-2: an HR system's write token is privileged access too (one more query).
    write_tokens = write_tokens_for_review([org.pk for org in page])
    return render(
        request,
        "accounts/access_review.html",
        {
            "groups": groups,
            "write_tokens": write_tokens,
            "page": page,
            "query": _query_without_page(request),
        },
    )


@login_required
def email_managed(request: AuthenticatedHttpRequest) -> HttpResponse:
    """/accounts/email/ in place of allauth's e-mail management: the address is not the user's.

    It comes from the organisation (HR data, the administrator, the municipality's sign-on);
    the role and task notices go there. A user who could add and make primary an address
    of their own could send those notices to a private mailbox. This page only says where
    the address comes from; no request to it changes anything.
    """
    status = 200 if request.method in ("GET", "HEAD") else 405
    response = render(
        request, "accounts/email_managed.html", {"email": request.user.email}, status=status
    )
    if status == 405:
        response["Allow"] = "GET, HEAD"
    return response

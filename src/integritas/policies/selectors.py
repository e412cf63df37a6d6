"""Every read of the document centre, scoped to what the user may see (None: 404).

A reader sees the documents of the organisations they work for (their employee record
and the organisations their roles cover) and of those organisations' regions. Concept
versions only for those who keep the document (permissions.keeps_document).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan

from integritas.accounts.selectors import user_roles
from integritas.organisations.models import Employee, Organisation, Region

from .constants import (
    PENDING_PAGE_SIZE,
    SEARCH_LIMIT,
    SEARCH_MAX_LENGTH,
    DocumentKind,
    VersionStatus,
)
from .models import Acknowledgement, AdoptionStep, Document, DocumentVersion
from .permissions import keeps_document, keeps_organisation, keeps_region
from .rendering import plain_text

_SCOPE_ATTR = "_integritas_document_scope"
#: Local additions shown under a regional document at most (a regional role covers many).
ADDITIONS_SHOWN = 10


@dataclass(frozen=True)
class ReaderScope:
    organisation_ids: frozenset[int]
    region_ids: frozenset[int]
    #: The reader's own organisation (their employee record), shown first.
    home_organisation_id: int | None
    #: The regions of which a regional role reads every organisation's documents.
    whole_region_ids: frozenset[int] = frozenset()
    #: The organisations read outside those regions (employee record, own roles).
    own_organisation_ids: frozenset[int] = frozenset()

    def organisations(self, field: str = "organisation_id") -> Q:
        """`field` is one of the reader's organisations. A whole region is written as a
        subquery on its organisations, not as the list of them: the list (355 ids in a
        national region) would be compiled into every query of every page again."""
        found = Q(**{f"{field}__in": sorted(self.own_organisation_ids)})
        if self.whole_region_ids:
            in_region = Organisation.objects.filter(region_id__in=sorted(self.whole_region_ids))
            found |= Q(**{f"{field}__in": in_region.values("pk")})
        return found

    def filter(self) -> Q:
        return self.organisations() | Q(region_id__in=sorted(self.region_ids))


def reader_scope(user: Any) -> ReaderScope:
    """The organisations and regions whose documents `user` reads; cached on the user."""
    cached = getattr(user, _SCOPE_ATTR, None)
    if cached is not None:
        return cached
    roles = user_roles(user)
    org_ids: set[int] = set()
    region_ids: set[int] = set()
    for role in roles.roles:
        org_ids |= roles.direct_organisation_ids(role)
        region_ids |= roles.region_ids(role)
    home = None
    if roles.employee is not None:
        home = roles.employee.organisation_id
        org_ids.add(home)
        region_ids.add(roles.employee.organisation.region_id)
    regional_orgs = set().union(*(roles.organisation_ids(r) for r in roles.regional_roles))
    missing = org_ids - ({home} if home else set())
    if missing:
        region_ids |= set(
            Organisation.objects.filter(pk__in=sorted(missing)).values_list("region_id", flat=True)
        )
    # A regional role reads the documents of every organisation of its region.
    whole = set().union(*(roles.region_ids(r) for r in roles.regional_roles))
    own = frozenset(org_ids)
    org_ids |= regional_orgs
    scope = ReaderScope(frozenset(org_ids), frozenset(region_ids), home, frozenset(whole), own)
    setattr(user, _SCOPE_ATTR, scope)
    return scope


def _current(document_ref: Any = None) -> QuerySet[DocumentVersion]:
    return DocumentVersion.objects.filter(
        document=document_ref if document_ref is not None else OuterRef("pk"),
        status=VersionStatus.ADOPTED,
    )


def documents_visible_to(user: Any) -> QuerySet[Document]:
    return Document.objects.filter(reader_scope(user).filter())


@dataclass(frozen=True)
class ListedDocument:
    document: Document
    number: int | None
    effective_date: Any

    @property
    def kind_label(self) -> str:
        return str(DocumentKind(self.document.kind).label)


def document_list(user: Any) -> list[ListedDocument]:
    """The documents (not their local additions) the user reads, with their current
    version; a keeper sees those they keep without a vastgestelde version too. One query."""
    current = _current()
    documents = (
        documents_visible_to(user)
        .filter(base__isnull=True)
        .select_related("organisation", "region")
        .annotate(
            current_number=Subquery(current.values("number")[:1]),
            current_date=Subquery(current.values("effective_date")[:1]),
        )
        .order_by("kind", "title", "pk")
    )
    listed = []
    for document in documents:
        if document.current_number is None and not keeps_document(user, document):
            continue
        listed.append(ListedDocument(document, document.current_number, document.current_date))
    return listed


def code_of_conduct_for(user: Any) -> Document | None:
    """The gedragscode the user reads first: their own organisation's region's (or own)
    gedragscode with a vastgestelde version; for a role without an employee record, the
    first of those they read."""
    scope = reader_scope(user)
    documents = documents_visible_to(user).filter(
        kind=DocumentKind.CODE_OF_CONDUCT,
        base__isnull=True,
        versions__status=VersionStatus.ADOPTED,
    )
    if scope.home_organisation_id is not None:
        own = documents.filter(organisation_id=scope.home_organisation_id).order_by("pk").first()
        if own is not None:
            return own
    return documents.order_by("region_id", "pk").select_related("organisation", "region").first()


def document_get(user: Any, pk: int) -> Document | None:
    return (
        documents_visible_to(user)
        .select_related("organisation", "region", "base")
        .filter(pk=pk)
        .first()
    )


def versions_visible(user: Any, document: Document) -> QuerySet[DocumentVersion]:
    versions = document.versions.order_by("-number")
    if not keeps_document(user, document):
        versions = versions.exclude(status=VersionStatus.CONCEPT)
    return versions


def version_get(user: Any, document: Document, number: int) -> DocumentVersion | None:
    return versions_visible(user, document).filter(number=number).first()


def current_version(document: Document) -> DocumentVersion | None:
    return _current(document).first()


def adoption_steps(version: DocumentVersion) -> QuerySet[AdoptionStep]:
    return version.adoption_steps.order_by("decided_on", "pk")


@dataclass(frozen=True)
class Addition:
    document: Document
    organisation: Organisation
    version: DocumentVersion | None
    keeps: bool


def additions_for(user: Any, document: Document) -> list[Addition]:
    """The local additions to a regional document for the reader's organisations (their
    own first), each with its current version; a keeper of an organisation also sees an
    addition that has no vastgestelde version yet. Two queries."""
    if document.region_id is None:
        return []
    scope = reader_scope(user)
    additions = (
        Document.objects.filter(scope.organisations(), base=document)
        .select_related("organisation")
        .order_by("organisation__name")[:ADDITIONS_SHOWN]
    )
    found = list(additions)
    versions = {
        v.document_id: v
        for v in DocumentVersion.objects.filter(
            document__in=[a.pk for a in found], status=VersionStatus.ADOPTED
        )
    }
    result = []
    for addition in found:
        if addition.organisation is None:  # an addition is always local (a constraint)
            continue
        keeps = keeps_organisation(user, addition.organisation.pk)
        version = versions.get(addition.pk)
        if version is None and not keeps:
            continue
        result.append(Addition(addition, addition.organisation, version, keeps))
    result.sort(key=lambda a: a.organisation.pk != scope.home_organisation_id)
    return result


def organisations_to_add_for(user: Any, document: Document) -> list[Organisation]:
    """The organisations of the region for which `user` may start a local addition."""
    if document.region_id is None:
        return []
    scope = reader_scope(user)
    existing = Document.objects.filter(base=document).values("organisation_id")
    orgs = Organisation.objects.filter(
        scope.organisations("pk"), region_id=document.region_id
    ).exclude(pk__in=existing)
    return [
        org for org in orgs.order_by("name")[:ADDITIONS_SHOWN] if keeps_organisation(user, org.pk)
    ]


def keepable_scopes(user: Any) -> tuple[list[Organisation], list[Any]]:
    """Where `user` may start a document: organisations (local) and regions (regional)."""
    scope = reader_scope(user)
    orgs = [
        org
        for org in Organisation.objects.filter(pk__in=sorted(scope.organisation_ids)).order_by(
            "name"
        )[:50]
        if keeps_organisation(user, org.pk)
    ]
    regions = [
        region
        for region in Region.objects.filter(pk__in=sorted(scope.region_ids)).order_by("name")
        if keeps_region(user, region.pk)
    ]
    return orgs, regions


# ------------------------------------------------------------------ gedragscode per person


def _code_versions_for(organisation_id: int, region_id: int) -> QuerySet[DocumentVersion]:
    """The vastgestelde versions of the gedragscode that apply in an organisation: the
    region's and the organisation's own (not their additions)."""
    return DocumentVersion.objects.filter(
        Q(document__region_id=region_id) | Q(document__organisation_id=organisation_id),
        status=VersionStatus.ADOPTED,
        document__kind=DocumentKind.CODE_OF_CONDUCT,
        document__base__isnull=True,
    )


def pending_code_versions(employee: Employee) -> QuerySet[DocumentVersion]:
    """Current gedragscode versions that `employee` has not acknowledged yet."""
    acknowledged = Acknowledgement.objects.filter(employee=employee, version=OuterRef("pk"))
    return (
        _code_versions_for(employee.organisation_id, employee.organisation.region_id)
        .exclude(Exists(acknowledged))
        .select_related("document")
        .order_by("effective_date", "pk")
    )


def code_version_for_acknowledgement(employee: Employee, version_pk: int) -> DocumentVersion | None:
    return (
        _code_versions_for(employee.organisation_id, employee.organisation.region_id)
        .select_related("document")
        .filter(pk=version_pk)
        .first()
    )


def latest_acknowledgement(employee: Employee) -> Acknowledgement | None:
    """The employee's last acknowledgement (the dossier on "Mijn integriteit"): its date,
    the version's number and the document's title, not the text."""
    return (
        Acknowledgement.objects.filter(employee=employee)
        .select_related("version__document")
        .only("acknowledged_on", "version__number", "version__document__title")
        .order_by("-acknowledged_on", "-pk")
        .first()
    )


def last_acknowledged_before(
    employee: Employee, version: DocumentVersion
) -> DocumentVersion | None:
    """The latest earlier version of the same document the employee acknowledged."""
    ack = (
        Acknowledgement.objects.filter(
            employee=employee,
            version__document_id=version.document_id,
            version__number__lt=version.number,
        )
        .select_related("version")
        .order_by("-version__number")
        .first()
    )
    return ack.version if ack else None


def previous_version(version: DocumentVersion) -> DocumentVersion | None:
    return (
        DocumentVersion.objects.filter(document_id=version.document_id, number__lt=version.number)
        .exclude(status=VersionStatus.CONCEPT)
        .order_by("-number")
        .first()
    )


# ------------------------------------------------------------------ HRM: acknowledgements


def organisations_for_acknowledgements(user: Any) -> QuerySet[Organisation]:
    from .permissions import ACKNOWLEDGEMENT_VIEWERS

    roles = user_roles(user)
    ids = set().union(*(roles.organisation_ids(role) for role in ACKNOWLEDGEMENT_VIEWERS))
    return Organisation.objects.filter(pk__in=sorted(ids)).order_by("name")


@dataclass(frozen=True)
class VersionTally:
    version: DocumentVersion
    acknowledged: int


def acknowledgement_tallies(organisation: Organisation) -> list[VersionTally]:
    """Per gedragscode version that applied in the organisation (current and expired), how
    many of its people acknowledged it. One query, the counts read from the index on
    (version, organisation)."""
    counted = (
        Acknowledgement.objects.filter(version=OuterRef("pk"), organisation=organisation)
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    versions = (
        DocumentVersion.objects.filter(
            Q(document__region_id=organisation.region_id) | Q(document__organisation=organisation),
            document__kind=DocumentKind.CODE_OF_CONDUCT,
            document__base__isnull=True,
        )
        .exclude(status=VersionStatus.CONCEPT)
        .select_related("document")
        .annotate(acknowledged=Subquery(counted))
        .order_by("document__title", "-number")
    )
    return [VersionTally(v, v.acknowledged or 0) for v in versions]


def current_employees_count(organisation: Organisation) -> int:
    return Employee.objects.filter(organisation=organisation).current().count()


def tally_version_get(organisation: Organisation, pk: int) -> DocumentVersion | None:
    return (
        DocumentVersion.objects.filter(
            Q(document__region_id=organisation.region_id) | Q(document__organisation=organisation),
            document__kind=DocumentKind.CODE_OF_CONDUCT,
            document__base__isnull=True,
            pk=pk,
        )
        .exclude(status=VersionStatus.CONCEPT)
        .select_related("document")
        .first()
    )


@dataclass(frozen=True)
class PendingPage:
    employees: Sequence[Employee]
    next_after: int | None


def employees_pending(
    organisation: Organisation, version: DocumentVersion, after: int | None = None
) -> PendingPage:
    """The organisation's current people who have not acknowledged `version`, by name,
    PENDING_PAGE_SIZE at a time after the employee `after` (keyset on the name index)."""
    acknowledged = Acknowledgement.objects.filter(employee=OuterRef("pk"), version=version)
    pending = (
        Employee.objects.filter(organisation=organisation)
        .current()
        .exclude(Exists(acknowledged))
        .select_related("org_unit")
        .only("personnel_number", "first_name", "last_name", "employment_type", "org_unit__name")
    )
    if after is not None:
        anchor = (
            Employee.objects.filter(organisation=organisation, pk=after)
            .order_by()
            .values_list("last_name", "first_name", "pk")
            .query
        )
        pending = pending.filter(
            TupleGreaterThan(Tuple(F("last_name"), F("first_name"), F("pk")), anchor)
        )
    rows = list(pending.order_by("last_name", "first_name", "pk")[: PENDING_PAGE_SIZE + 1])
    more = len(rows) > PENDING_PAGE_SIZE
    rows = rows[:PENDING_PAGE_SIZE]
    return PendingPage(rows, rows[-1].pk if more else None)


# ------------------------------------------------------------------ search


@dataclass(frozen=True)
class Hit:
    document: Document
    version: DocumentVersion
    snippet: str


def _snippet(content: str, query: str, width: int = 160) -> str:
    text = plain_text(content)
    lowered = text.lower()
    positions = [lowered.find(word.lower()) for word in query.split()]
    found = [p for p in positions if p >= 0]
    start = max(min(found) - width // 2, 0) if found else 0
    piece = text[start : start + width]
    return ("… " if start else "") + piece + (" …" if start + width < len(text) else "")


def search_current(user: Any, query: str) -> list[Hit]:
    """Current (vastgestelde) versions the user reads whose title or text has the words.

    PostgreSQL: full-text search in Dutch ("websearch" syntax) on a GIN index of the
    current versions' text (migration 0002), best first. SQLite: every word must occur
    in the title or the text (case-insensitive for a-z), newest first. At most
    SEARCH_LIMIT hits; one query.
    """
    query = " ".join(query.split())[:SEARCH_MAX_LENGTH]
    if not query:
        return []
    versions = DocumentVersion.objects.filter(
        status=VersionStatus.ADOPTED,
        document__in=documents_visible_to(user).values("pk"),
    ).select_related("document", "document__organisation", "document__region")
    if connection.vendor == "postgresql":
        search = SearchQuery(query, config="dutch", search_type="websearch")
        vector = SearchVector("content", config="dutch")
        title_hit = Q(document__title__icontains=query)
        versions = (
            versions.annotate(search=vector)
            .filter(Q(search=search) | title_hit)
            .annotate(rank=SearchRank(vector, search))
            .order_by("-rank", "-effective_date", "pk")
        )
    else:
        for word in query.split()[:8]:
            versions = versions.filter(
                Q(content__icontains=word) | Q(document__title__icontains=word)
            )
        versions = versions.order_by("-effective_date", "pk")
    return [
        Hit(version.document, version, _snippet(version.content, query))
        for version in versions[:SEARCH_LIMIT]
    ]

"""Reads of `counsel`: the directory (public: shown on the intake page too), the
counsellor's own log (only its author), the counts (never an entry) and the sessions."""

import datetime
import hashlib
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.models import User
from integritas.accounts.selectors import organisations_for_role, user_roles
from integritas.core.contributions import WORK_COUNT_CAP
from integritas.core.keyset import Cursor, KeysetPage, keyset_page
from integritas.organisations.models import Employee, Organisation, Region

from . import suppression
from .constants import Theme
from .models import (
    ConsultationCount,
    ConsultationEntry,
    CounsellorAppointment,
    CounsellorListing,
    CounsellorSession,
    CountsRevision,
)


def organisations_administered(user: Any) -> QuerySet[Organisation]:
    """Organisations whose directory `user` keeps (administrator there, or regionally)."""
    return organisations_for_role(user, Role.ADMINISTRATOR)


def listings_for_administration(user: Any) -> QuerySet[CounsellorListing]:
    return CounsellorListing.objects.filter(
        organisation__in=organisations_administered(user)
    ).select_related("organisation")


def listings_of(organisations: list[Organisation]) -> QuerySet[CounsellorListing]:
    """The listings of these organisations (already scoped by the caller), in list order."""
    return CounsellorListing.objects.filter(
        organisation_id__in=[org.pk for org in organisations]
    ).order_by("organisation_id", "position", "name")


def listing_get_for_administration(user: Any, pk: int) -> CounsellorListing | None:
    return listings_for_administration(user).filter(pk=pk).first()


# --- the consultation log: only its author (R-DP-3) -------------------------------------


def log_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations in which `user` is a vertrouwenspersoon (where they may log)."""
    return organisations_for_role(user, Role.CONFIDENTIAL_COUNSELLOR)


def entries_of(user: Any) -> QuerySet[ConsultationEntry]:
    """The entries `user` wrote, in the organisations where they are still a counsellor.

    The wall (R-DP-3): every read of an entry starts here, and nothing else in Integritas
    reads entries (the counts below read ConsultationCount, kept by the services). Another
    counsellor's entry, in the same organisation or not, is simply not in this set (404).
    """
    orgs = user_roles(user).organisation_ids(Role.CONFIDENTIAL_COUNSELLOR)
    if not orgs or not getattr(user, "is_authenticated", False):
        return ConsultationEntry.objects.none()
    return ConsultationEntry.objects.filter(counsellor=user, organisation_id__in=orgs)


def entry_get(user: Any, pk: int) -> ConsultationEntry | None:
    """The user's own entry with its log (for the key), or None (404)."""
    return entries_of(user).select_related("log", "organisation").filter(pk=pk).first()


def entries_page(user: Any, *, size: int, older: str | None, newer: str | None) -> KeysetPage:
    """A page of the user's own entries, newest written first (keyset, one query)."""
    return keyset_page(
        entries_of(user).select_related("organisation"),
        field="created_at",
        size=size,
        older_than=Cursor.decode(older),
        newer_than=Cursor.decode(newer),
    )


def entries_count_since(user: Any, since: datetime.date) -> int:
    """How many consultations the user logged since `since`, up to WORK_COUNT_CAP."""
    ids = entries_of(user).filter(consulted_on__gte=since).values("pk")[:WORK_COUNT_CAP]
    return ConsultationEntry.objects.filter(pk__in=ids).count()


# --- counts: never an entry; small numbers as "< 5", and never recomputable ------------


def shown_count(count: int) -> str:
    """A count on its own as it may be shown: 1 to SMALL_COUNT_LIMIT become "< 5"
    (R-DP-3). A count shown next to a total goes through `suppression` instead."""
    return suppression.label(
        count, suppression.Hidden.SMALL if suppression.is_small(count) else None
    )


@dataclass(frozen=True)
class CountRow:
    """How many consultations of one theme (R-GC-4) in one organisation, year and quarter,
    with `shown`: the count as the report may show it (R-DP-3: "< 5", or "≥ 5" where a
    total would otherwise give a small count away)."""

    organisation_id: int
    year: int
    quarter: int
    theme: str
    count: int
    shown: str


def _counts(scope: Q, year: int) -> list[tuple[int, int, str, int]]:
    """The counts of `year` per organisation, quarter and theme: one query over the
    maintained counts (at most organisations x 4 x themes rows), never the entries."""
    return list(
        ConsultationCount.objects.filter(scope, year=year, count__gt=0)
        .order_by("organisation_id", "quarter", "theme")
        .values_list("organisation_id", "quarter", "theme", "count")
    )


_QUARTERS = (1, 2, 3, 4)


@dataclass(frozen=True)
class ConsultationReport:
    """The yearly report's counts, every one protected together (R-DP-3): per
    organisation, quarter and theme (`rows`, only the non-zero ones), the totals per
    organisation and theme, per organisation and quarter and per organisation, and the
    same totals over all the organisations asked for."""

    year: int
    rows: list[CountRow]
    theme_totals: dict[tuple[int, str], str]
    quarter_totals: dict[tuple[int, int], str]
    organisation_totals: dict[int, str]
    all_theme_totals: dict[str, str]
    all_quarter_totals: dict[int, str]
    total: str


Cells = dict[Hashable, int]

# How long a table's suppression is kept. The key is the table itself (every cell's
# count), so a count written since is a new key, never a stale answer; the time only
# bounds what the cache holds.
SUPPRESSION_SECONDS = 5 * 60


_KIND_CODES: dict[suppression.Hidden | None, str] = {
    None: ".",
    **{kind: kind.value[0] for kind in suppression.Hidden},
}
_CODE_KINDS = {code: kind for kind, code in _KIND_CODES.items()}


def _shown(table: str, values: Cells, equations: list[suppression.Equation]) -> dict[Hashable, str]:
    """Every cell as `suppression.shown` gives it, the search done once per table's
    contents: the counts change only when a counsellor writes, while the page is read
    by every visit. Cached is which cells are hidden and how, one letter per cell in
    the table's order (no count, no label: the labels follow the reader's language)."""
    digest = hashlib.sha256(repr(list(values.items())).encode()).hexdigest()
    key = f"counsel:suppressed:{table}:{digest}"
    codes: str | None = cache.get(key)
    if codes is None:
        hidden = suppression.suppress(values, equations)
        codes = "".join(_KIND_CODES[hidden.get(cell)] for cell in values)
        cache.set(key, codes, SUPPRESSION_SECONDS)
    labels = {kind: suppression.label(0, kind) for kind in suppression.Hidden}
    return {
        cell: labels[kind] if (kind := _CODE_KINDS[code]) else str(value)
        for (cell, value), code in zip(values.items(), codes, strict=True)
    }


def report_table(
    raw: Iterable[tuple[int, int, str, int]], organisation_ids: list[int], themes: list[str]
) -> tuple[Cells, list[suppression.Equation]]:
    """The cells of the yearly report and the sums a reader sees between them: per
    organisation theme x quarter with its row, column and grand totals, and the same
    totals over all organisations. `raw`: (organisation, quarter, theme, count)."""
    values: Cells = {}
    for org in organisation_ids:
        for theme in themes:
            for quarter in _QUARTERS:
                values[("c", org, theme, quarter)] = 0
    for org, quarter, theme, count in raw:
        values[("c", org, theme, quarter)] = count
    equations: list[suppression.Equation] = []

    def add(parts: list[Hashable], total: Hashable, *, again: bool = False) -> None:
        if not again:
            values[total] = sum(values[p] for p in parts)
        equations.append(suppression.Equation(tuple(parts), total))

    for org in organisation_ids:
        for theme in themes:
            add([("c", org, theme, q) for q in _QUARTERS], ("ot", org, theme))
        for q in _QUARTERS:
            add([("c", org, theme, q) for theme in themes], ("oq", org, q))
        add([("ot", org, theme) for theme in themes], ("o", org))
        add([("oq", org, q) for q in _QUARTERS], ("o", org), again=True)
    for theme in themes:
        add([("ot", org, theme) for org in organisation_ids], ("t", theme))
    for q in _QUARTERS:
        add([("oq", org, q) for org in organisation_ids], ("q", q))
    add([("o", org) for org in organisation_ids], ("g",))
    add([("t", theme) for theme in themes], ("g",), again=True)
    add([("q", q) for q in _QUARTERS], ("g",), again=True)
    return values, equations


def consultation_report(*, organisation_ids: Iterable[int], year: int) -> ConsultationReport:
    """For the yearly report: counts only, each shown so that no small count can be
    recomputed from the others and the totals (R-DP-3). The caller has scoped
    `organisation_ids`. One query."""
    ids = sorted(set(organisation_ids))
    raw = _counts(Q(organisation_id__in=ids), year)
    themes = list(Theme.values)
    values, equations = report_table(raw, ids, themes)
    shown = _shown("report", values, equations)
    return ConsultationReport(
        year=year,
        rows=[
            CountRow(org, year, quarter, theme, count, shown[("c", org, theme, quarter)])
            for org, quarter, theme, count in raw
        ],
        theme_totals={(org, t): shown[("ot", org, t)] for org in ids for t in themes},
        quarter_totals={(org, q): shown[("oq", org, q)] for org in ids for q in _QUARTERS},
        organisation_totals={org: shown[("o", org)] for org in ids},
        all_theme_totals={t: shown[("t", t)] for t in themes},
        all_quarter_totals={q: shown[("q", q)] for q in _QUARTERS},
        total=shown[("g",)],
    )


def consultation_counts(*, organisation_ids: Iterable[int], year: int) -> list[CountRow]:
    """The non-zero counts of `consultation_report`, each with its protected `.shown`."""
    return consultation_report(organisation_ids=organisation_ids, year=year).rows


@dataclass(frozen=True)
class RegionFigures:
    """The central counsellor's figures of one year: per theme and quarter, and per
    organisation and theme, over every organisation of their region(s)."""

    year: int
    themes: list[tuple[str, str]]
    by_theme: list[tuple[str, list[str], str]]  # label, shown count per quarter, total
    by_organisation: list[tuple["OrganisationName", list[tuple[str, str]], str]]  # per theme
    total: str


@dataclass(frozen=True)
class OrganisationName:
    """An organisation as the figures name it: what the cache keeps of it."""

    pk: int
    name: str


# How long the central counsellor's finished figures are kept under the counts' token.
REGION_FIGURES_SECONDS = 5 * 60


def region_table(
    raw: Iterable[tuple[int, int, str, int]], organisation_ids: list[int], themes: list[str]
) -> tuple[Cells, list[suppression.Equation]]:
    """The cells of the central counsellor's two tables and the sums a reader sees:
    theme x quarter with the theme totals, organisation x theme with the organisation
    totals, the theme totals again as the columns' sums of the second table, and the
    total of the year. `raw`: (organisation, quarter, theme, count)."""
    values: Cells = {}
    for theme in themes:
        for quarter in _QUARTERS:
            values[("tq", theme, quarter)] = 0
        for org in organisation_ids:
            values[("o", org, theme)] = 0
    for org_id, quarter, theme, count in raw:
        values[("tq", theme, quarter)] += count
        values[("o", org_id, theme)] = values.get(("o", org_id, theme), 0) + count
    equations: list[suppression.Equation] = []

    def add(parts: list[Hashable], total: Hashable, *, again: bool = False) -> None:
        if not again:
            values[total] = sum(values[p] for p in parts)
        equations.append(suppression.Equation(tuple(parts), total))

    for theme in themes:
        add([("tq", theme, q) for q in _QUARTERS], ("t", theme))
        add([("o", org, theme) for org in organisation_ids], ("t", theme), again=True)
    for org in organisation_ids:
        add([("o", org, theme) for theme in themes], ("ot", org))
    add([("t", theme) for theme in themes], ("g",))
    add([("ot", org) for org in organisation_ids], ("g",), again=True)
    return values, equations


def region_figures(user: Any, year: int) -> RegionFigures:
    """Counts over the central counsellor's region(s). Both tables and the total are
    protected together (`suppression`): the theme totals appear in both.

    Kept in the cache under the counts' token (CountsRevision, changed in the transaction
    of every change to the counts, and read before the counts, so that figures computed
    from older counts are never kept under a newer token): a page view reads one row,
    not the 8,400 counts of a national region (issue 9)."""
    roles = user_roles(user)
    regions = sorted(roles.region_ids(Role.CENTRAL_COUNSELLOR))
    direct = sorted(roles.direct_organisation_ids(Role.CENTRAL_COUNSELLOR))
    token = CountsRevision.objects.filter(pk=1).values_list("token", flat=True).first()
    key = f"counsel:region-figures:{token}:{year}:{regions}:{direct}:{get_language()}"
    figures: RegionFigures | None = cache.get(key) if token else None
    if figures is None:
        figures = _region_figures(regions, direct, year)
        if token:
            cache.set(key, figures, REGION_FIGURES_SECONDS)
    return figures


def _region_figures(regions: list[int], direct: list[int], year: int) -> RegionFigures:
    """region_figures computed: two queries (the counts, the organisations)."""
    scope = Q(organisation__region_id__in=regions) | Q(organisation_id__in=direct)
    rows = _counts(scope, year)
    organisations = [
        OrganisationName(pk, name)
        for pk, name in Organisation.objects.filter(Q(region_id__in=regions) | Q(pk__in=direct))
        .order_by("name")
        .values_list("pk", "name")
    ]
    themes = [(str(value), str(label)) for value, label in Theme.choices]
    values, equations = region_table(
        rows, [org.pk for org in organisations], [value for value, _label in themes]
    )
    shown = _shown("region", values, equations)
    by_theme = [
        (label, [shown[("tq", value, q)] for q in _QUARTERS], shown[("t", value)])
        for value, label in themes
    ]
    by_organisation = [
        (
            org,
            [(label, shown[("o", org.pk, value)]) for value, label in themes],
            shown[("ot", org.pk)],
        )
        for org in organisations
    ]
    return RegionFigures(year, themes, by_theme, by_organisation, shown[("g",)])


# --- appointments and sessions (seed 4) -------------------------------------------------


@dataclass(frozen=True)
class Upcoming:
    count: int
    first: datetime.date | None


def sessions_for_central(user: Any) -> QuerySet[CounsellorSession]:
    """The sessions of the central counsellor's region(s)."""
    regions = user_roles(user).region_ids(Role.CENTRAL_COUNSELLOR)
    return CounsellorSession.objects.filter(region_id__in=list(regions)).select_related("region")


def with_attendance(sessions: QuerySet[CounsellorSession]) -> QuerySet[CounsellorSession]:
    """Each session with `attending`: its number of attendees (in the same query)."""
    return sessions.annotate(attending=Count("attendees"))


def central_region(user: Any) -> Region | None:
    """The (first) region where `user` is the central counsellor, where a new session is
    held; None if they are not (404)."""
    regions = user_roles(user).region_ids(Role.CENTRAL_COUNSELLOR)
    return Region.objects.filter(pk__in=list(regions)).order_by("pk").first()


def appointable_employee(organisation: Organisation, personnel_number: str) -> Employee | None:
    """The employee of `organisation` (already scoped by the caller: HRM there) with this
    personnel number, to appoint as vertrouwenspersoon; None if there is none."""
    return Employee.objects.filter(
        organisation=organisation, personnel_number=personnel_number
    ).first()


def session_get_for_central(user: Any, pk: int) -> CounsellorSession | None:
    return sessions_for_central(user).filter(pk=pk).first()


def sessions_for_counsellor(user: Any) -> QuerySet[CounsellorSession]:
    """The sessions of the regions where `user` is a counsellor."""
    orgs = user_roles(user).organisation_ids(Role.CONFIDENTIAL_COUNSELLOR)
    regions = Organisation.objects.filter(pk__in=list(orgs)).values("region_id")
    return CounsellorSession.objects.filter(region_id__in=regions)


def upcoming_sessions_for(user: Any, today: datetime.date) -> Upcoming:
    """How many sessions lie ahead for the counsellor and the date of the first (one
    query, at most WORK_COUNT_CAP read)."""
    dates = list(
        sessions_for_counsellor(user)
        .filter(held_on__gte=today)
        .order_by("held_on")
        .values_list("held_on", flat=True)[:WORK_COUNT_CAP]
    )
    return Upcoming(len(dates), dates[0] if dates else None)


def region_counsellors(region_ids: Iterable[int]) -> QuerySet[User]:
    """The users who are vertrouwenspersoon in an organisation of these regions."""
    return (
        User.objects.filter(
            assignments__role=Role.CONFIDENTIAL_COUNSELLOR,
            assignments__status=AssignmentStatus.ACTIVE,
            assignments__organisation__region_id__in=list(region_ids),
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def appointments_for_hrm(user: Any) -> QuerySet[CounsellorAppointment]:
    orgs = user_roles(user).organisation_ids(Role.HRM)
    return CounsellorAppointment.objects.filter(organisation_id__in=list(orgs)).select_related(
        "organisation", "employee"
    )


def appointment_get_for_hrm(user: Any, pk: int) -> CounsellorAppointment | None:
    return appointments_for_hrm(user).filter(pk=pk).first()


@dataclass(frozen=True)
class TrainingFacts:
    """For the yearly report: how many counsellors were appointed in the organisations,
    how many of them trained, and how many attended a session in the year."""

    appointed: int
    trained: int
    sessions: int
    attendances: int


def training_facts(*, organisation_ids: Iterable[int], year: int) -> TrainingFacts:
    """Counts only (three queries); the caller has scoped `organisation_ids`."""
    ids = list(organisation_ids)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    active = CounsellorAppointment.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start),
        organisation_id__in=ids,
        appointed_on__lte=end,
    )
    counts = active.aggregate(
        appointed=Count("pk"), trained=Count("pk", filter=Q(trained_on__lte=end))
    )
    regions = Organisation.objects.filter(pk__in=ids).values("region_id")
    sessions = CounsellorSession.objects.filter(region_id__in=regions, held_on__range=(start, end))
    return TrainingFacts(
        appointed=counts["appointed"],
        trained=counts["trained"],
        sessions=sessions.count(),
        attendances=CounsellorSession.attendees.through.objects.filter(
            counsellorsession__in=sessions
        ).count(),
    )

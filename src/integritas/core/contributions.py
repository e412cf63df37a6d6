"""What an app offers to pages it does not own: navigation, work lists, public contacts.

The home page, the navigation and the public Meldpunt page are composed from several
apps, but the apps stand in layers and the domain apps never import each other. So each
app *registers* what it contributes here, in its ``AppConfig.ready()``, and the page that
shows it (``portal``, or a domain app's public page) reads the registry. A new app plugs
in by registering; no composing code changes.

    from integritas.core.contributions import Contribution, NavEntry, register

    class RegistersConfig(AppConfig):
        def ready(self) -> None:
            from . import contributions  # the app's own module, no other app's
            register(contributions.CONTRIBUTION)

Every callable receives the request's user and must stay cheap: it runs on every page
(navigation) or on the home page (work lists). Guard by ``user.has_perm`` so that the
rules of the app's ``permissions.py`` decide, never a role name in the composing app.
A work list counts and links to the page where the work is done; it never shows content.
Each row is one small query whatever the number of items behind it: it counts at most
WORK_COUNT_CAP items (a sliced subquery) and reads the oldest with an indexed
ORDER BY ... LIMIT 1, never an aggregate over every row.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext

Label = str | Promise

#: A work list counts at most this many items of one kind; from there on the home page
#: says "meer dan 99": the number to act on is the same, and counting stops early.
WORK_COUNT_CAP = 100


@dataclass(frozen=True)
class NavEntry:
    """One link in the main navigation, shown when `permission` holds (None: everyone)."""

    label: Label
    url_name: str
    permission: str | None = None
    #: Position in the navigation: lower comes first; the work of the day before beheer.
    order: int = 500

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class WorkSummary:
    """One kind of work waiting for a user: how many, since when, and where it is done.

    Counts only, never content: the page behind `url` shows what may be shown (exactly
    the items counted, where that page has filters). `count` may stop at WORK_COUNT_CAP;
    `oldest` is the date the oldest item has been waiting since (a report's date of
    receipt, a request's date); `urgent` marks work past or near a legal deadline.
    """

    label: Label
    count: int
    oldest: date | None
    url: str
    urgent: bool = False

    @property
    def count_text(self) -> str:
        """The count as the page shows it: "meer dan 99" once the count reached the cap."""
        if self.count >= WORK_COUNT_CAP:
            return gettext("meer dan %(number)d") % {"number": WORK_COUNT_CAP - 1}
        return str(self.count)


@dataclass(frozen=True)
class WorkLink:
    """Where to go now, for a list that has no work to count (yet)."""

    label: Label
    url: str


@dataclass(frozen=True)
class WorkList:
    """A titled list on the home page: its rows of work, or `empty_text` when none waits.

    A list without rows to count (a role whose work comes later) says so in `intro` and
    offers `links`. Lists with the same `key` from several apps are shown as one (the
    four-eyes requests of accounts and cases), under the first one's title.
    """

    title: Label
    rows: Sequence[WorkSummary] = ()
    empty_text: Label = ""
    intro: Label = ""
    links: Sequence[WorkLink] = ()
    order: int = 500
    key: str = ""

    @property
    def waiting(self) -> list[WorkSummary]:
        """The rows with work in them; the page shows `empty_text` when there are none."""
        return [row for row in self.rows if row.count]


@dataclass(frozen=True)
class PublicContact:
    """Someone a reporter may turn to, shown on the public Meldpunt page (no login)."""

    organisation_id: int
    name: str
    is_external: bool = False
    phone: str = ""
    email: str = ""
    availability: str = ""
    introduction: str = ""


@dataclass(frozen=True)
class DossierSection:
    """A part of the employee's own integrity dossier on "Mijn integriteit".

    The dossier gathers what is the employee's own (registrations and their decisions,
    duties, acknowledgements) from the apps that hold it. `context(user, employee)`
    returns the template context of the section, or None when it has nothing to show
    for this person (the section is then left out); `employee` may be None for an account
    without an employee. It runs on the home page: a constant, small number of queries.
    The template is the app's own, a Jinja2 template (under the app's `jinja2/` folder:
    the home page's Jinja2 body includes it), and receives the context as `section`.
    """

    key: str
    title: Label
    template_name: str
    context: Callable[[Any, Any], dict[str, Any] | None]
    order: int = 500


@dataclass(frozen=True)
class RenderedSection:
    """A dossier section with its context, ready for the home page's template."""

    key: str
    title: Label
    template_name: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Contribution:
    """Everything one app offers; every part is optional."""

    app: str
    navigation: tuple[NavEntry, ...] = ()
    work_lists: Callable[[Any], Iterable[WorkList]] | None = None
    #: The contacts of the organisations with these ids (the Meldpunt shows those of the
    #: organisations on its form, never a whole country's at once).
    public_contacts: Callable[[Sequence[int]], Iterable[PublicContact]] | None = None
    #: Extra checks for "does this user read confidential content" (second factor, short
    #: idle timeout) beyond the privileged roles; see accounts.selectors.user_is_privileged.
    privilege_checks: tuple[Callable[[Any], bool], ...] = field(default=())
    #: The app's parts of the employee's dossier on "Mijn integriteit".
    dossier_sections: tuple[DossierSection, ...] = ()


_registry: dict[str, Contribution] = {}


def register(contribution: Contribution) -> None:
    """Register (or, on a repeated ready(), replace) the contribution of one app."""
    _registry[contribution.app] = contribution


def contributions() -> list[Contribution]:
    """The registered contributions, in the order the apps registered."""
    return list(_registry.values())


def navigation_entries() -> list[NavEntry]:
    entries = [entry for c in _registry.values() for entry in c.navigation]
    return sorted(entries, key=lambda entry: entry.order)


def work_lists_for(user: Any) -> list[WorkList]:
    """Every app's work lists for `user`, in order; lists sharing a key merged into one."""
    lists: list[WorkList] = []
    position: dict[str, int] = {}
    for c in _registry.values():
        for wl in c.work_lists(user) if c.work_lists else ():
            if wl.key not in position:
                if wl.key:
                    position[wl.key] = len(lists)
                lists.append(wl)
                continue
            first = lists[position[wl.key]]
            lists[position[wl.key]] = replace(
                first, rows=[*first.rows, *wl.rows], links=[*first.links, *wl.links]
            )
    return sorted(lists, key=lambda wl: wl.order)


def dossier_sections_for(user: Any, employee: Any) -> list[RenderedSection]:
    """The sections of `user`'s dossier that have something to show, in order."""
    sections = sorted(
        (section for c in _registry.values() for section in c.dossier_sections),
        key=lambda section: section.order,
    )
    rendered = []
    for section in sections:
        data = section.context(user, employee)
        if data is not None:
            rendered.append(
                RenderedSection(section.key, section.title, section.template_name, data)
            )
    return rendered


def public_contacts_by_organisation(
    organisation_ids: Sequence[int],
) -> dict[int, list[PublicContact]]:
    """The public contacts of these organisations, per organisation id."""
    grouped: dict[int, list[PublicContact]] = {}
    for c in _registry.values():
        for contact in c.public_contacts(organisation_ids) if c.public_contacts else ():
            grouped.setdefault(contact.organisation_id, []).append(contact)
    return grouped


def privilege_checks() -> list[Callable[[Any], bool]]:
    return [check for c in _registry.values() for check in c.privilege_checks]

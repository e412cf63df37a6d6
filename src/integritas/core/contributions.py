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
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise

Label = str | Promise


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
class WorkItem:
    """One thing a user has to do: a link and what is asked of them."""

    link_text: str
    url: str
    action: Label
    context: str = ""


@dataclass(frozen=True)
class WorkList:
    """A titled list of work items on the home page, with the text shown when empty."""

    title: Label
    items: Sequence[WorkItem]
    empty_text: Label
    order: int = 500


@dataclass(frozen=True)
class PublicContact:
    """Someone a reporter may turn to, shown on the public Meldpunt page (no login)."""

    organisation_id: int
    name: str
    is_external: bool = False
    phone: str = ""
    email: str = ""
    availability: str = ""


@dataclass(frozen=True)
class Contribution:
    """Everything one app offers; every part is optional."""

    app: str
    navigation: tuple[NavEntry, ...] = ()
    work_lists: Callable[[Any], Iterable[WorkList]] | None = None
    public_contacts: Callable[[], Iterable[PublicContact]] | None = None
    #: Extra checks for "does this user read confidential content" (second factor, short
    #: idle timeout) beyond the privileged roles; see accounts.selectors.user_is_privileged.
    privilege_checks: tuple[Callable[[Any], bool], ...] = field(default=())


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
    lists = [wl for c in _registry.values() if c.work_lists for wl in c.work_lists(user)]
    return sorted(lists, key=lambda wl: wl.order)


def public_contacts_by_organisation() -> dict[int, list[PublicContact]]:
    grouped: dict[int, list[PublicContact]] = {}
    for c in _registry.values():
        for contact in c.public_contacts() if c.public_contacts else ():
            grouped.setdefault(contact.organisation_id, []).append(contact)
    return grouped


def privilege_checks() -> list[Callable[[Any], bool]]:
    return [check for c in _registry.values() for check in c.privilege_checks]

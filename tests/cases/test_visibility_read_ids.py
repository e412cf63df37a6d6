"""cases_visible_to(user, ties=read_case_ties(user)), which the home page's work lists
filter, and cases_handled_by: the same cases as cases_visible_to decides for lists (need
to know), whatever the user is to the cases and however many they handle."""

import pytest

from integritas.accounts.constants import Role
from integritas.cases import access, services
from integritas.cases.constants import SubstituteRole
from tests.cases.factories import submit_case, substitute_designate
from tests.factories import OrganisationFactory, RegionFactory


def _case(organisation, **kw):
    kw.setdefault("cheap_receipt", True)
    return submit_case(organisation, **kw).case


def _numbers(cases):
    return set(cases.values_list("case_number", flat=True))


@pytest.fixture
def world(make_user, organisation, other_organisation):
    """Cases in every stage, in two organisations and another region; handlers of every
    kind; a case that names the coordinator as involved."""
    elsewhere = OrganisationFactory(
        slug="elders", name="Gemeente Elders", case_prefix="ELD", region=RegionFactory(slug="x")
    )
    coordinator = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    secretary = make_user(Role.SECRETARY, organisation)
    investigator = make_user(Role.INVESTIGATOR, organisation)
    admins = (make_user(Role.ADMINISTRATOR), make_user(Role.ADMINISTRATOR))
    substitute = make_user(None, other_organisation)
    substitute_designate(admins, organisation, SubstituteRole.SECRETARY, substitute)
    substitute_designate(admins, organisation, SubstituteRole.INTEGRITY_COORDINATOR, substitute)
    cases = []
    there = make_user(Role.INTEGRITY_COORDINATOR, elsewhere)
    for org, handler in ((organisation, coordinator), (elsewhere, there)):
        received = _case(org)
        triage = services.case_transition(actor=handler, case=_case(org), name="acknowledge")
        waiting = services.case_transition(actor=handler, case=triage, name="request_approval")
        cases += [received, waiting]
    investigated = services.case_transition(
        actor=secretary, case=cases[1], name="approve_investigation"
    )
    services.case_assign_investigator(actor=coordinator, case=investigated, user=investigator)
    # Reports about the coordinator and the secretary go to the substitute (seed 5.2); one
    # of them names the substitute too.
    _case(organisation, concerns_role=SubstituteRole.INTEGRITY_COORDINATOR)
    about_secretary = _case(organisation, concerns_role=SubstituteRole.SECRETARY)
    colleague = make_user(Role.INTEGRITY_COORDINATOR, other_organisation)
    services.case_link_involved(
        actor=colleague, case=about_secretary, employee=substitute.employee, description="B"
    )
    # A case that names the coordinator.
    services.case_link_involved(
        actor=colleague, case=_case(organisation), employee=coordinator.employee, description="B"
    )
    return {
        "coordinator": coordinator,
        "secretary": secretary,
        "investigator": investigator,
        "substitute": substitute,
        "employee": make_user(None),
    }


@pytest.mark.requirement("R-WBK-7")
@pytest.mark.parametrize("limit", [access.READ_IDS_LIMIT, 0])
def test_reading_ids_first_sees_the_same_cases(world, monkeypatch, limit):
    """Read as lists or, above the limit, as subqueries: never another case."""
    monkeypatch.setattr(access, "READ_IDS_LIMIT", limit)
    for name, user in world.items():
        expected = _numbers(access.cases_visible_to(user))
        assert bool(expected) == (name != "employee"), name
        ties = access.read_case_ties(user)
        assert (ties is None) == (limit == 0) or name == "employee", name
        assert _numbers(access.cases_visible_to(user, ties=ties)) == expected, name


@pytest.mark.requirement("R-WBK-7")
def test_cases_handled_by_are_the_visible_cases_they_handle(world):
    investigator = world["investigator"]
    handled = _numbers(access.cases_handled_by(investigator, Role.INVESTIGATOR))
    assert handled
    assert handled <= _numbers(access.cases_visible_to(investigator))
    with pytest.raises(ValueError, match="stage"):
        access.cases_handled_by(world["substitute"], Role.SECRETARY)


def test_case_ties_say_what_the_user_is_to_the_cases(world):
    substitute = access.read_case_ties(world["substitute"])
    assert substitute is not None and substitute.designated
    assert Role.INTEGRITY_COORDINATOR in substitute.handler_roles and substitute.involved
    investigator = access.read_case_ties(world["investigator"])
    assert investigator is not None and not investigator.designated
    assert investigator.handler_roles == {Role.INVESTIGATOR} and investigator.handled
    coordinator = access.read_case_ties(world["coordinator"])
    assert coordinator is not None and coordinator.involved and not coordinator.handled

"""factory_boy factories shared by the whole suite."""

import datetime

import factory
from django.utils import timezone

from integritas.accounts.constants import REGIONAL_ROLES, AssignmentStatus, Role
from integritas.accounts.models import RoleAssignment, User
from integritas.organisations.constants import EmploymentType, OrganisationKind
from integritas.organisations.models import Employee, Function, Organisation, OrgUnit, Region

TEST_PASSWORD = "Veilig-wachtwoord-2026!"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    slug = "leidse-regio"
    name = "Leidse regio"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    region = factory.SubFactory(RegionFactory)
    slug = factory.Sequence(lambda n: f"gemeente-{n}")
    name = factory.LazyAttribute(lambda o: f"Gemeente {o.slug.title()}")
    kind = OrganisationKind.MUNICIPALITY
    case_prefix = factory.Sequence(lambda n: f"G{n:03d}")
    anonymous_reporting_enabled = True
    worker_count = 120


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"AFD{n}")
    name = factory.Sequence(lambda n: f"Afdeling {n}")


class FunctionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Function

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"F{n}")
    name = factory.Sequence(lambda n: f"Functie {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"gebruiker{n}@example.nl")
    full_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    organisation = factory.SubFactory(OrganisationFactory)
    personnel_number = factory.Sequence(lambda n: f"{100000 + n}")
    first_name = "Sanne"
    last_name = factory.Sequence(lambda n: f"de Vries {n}")
    email = factory.LazyAttribute(lambda o: f"p{o.personnel_number}@example.nl")
    employment_type = EmploymentType.EMPLOYED
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=400))
    user = factory.SubFactory(UserFactory, email=factory.SelfAttribute("..email"))


def grant(user: User, role: str, organisation: Organisation | None = None) -> RoleAssignment:
    """An active assignment, regional where the role is regional."""
    if role in REGIONAL_ROLES or organisation is None:
        region = organisation.region if organisation is not None else RegionFactory()
        return RoleAssignment.objects.create(
            user=user, role=role, region=region, status=AssignmentStatus.ACTIVE
        )
    return RoleAssignment.objects.create(
        user=user, role=role, organisation=organisation, status=AssignmentStatus.ACTIVE
    )


ALL_ASSIGNABLE_ROLES = [r for r in Role if r != Role.EMPLOYEE]

"""What the demo consists of: the region, its five organisations, their units and the
demo accounts. Pure data; `seed.py` turns it into rows.

Every person and address here is invented. E-mail addresses use the reserved `.example`
top-level domain so that no demo mail can ever reach a real mailbox.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from integritas.accounts.constants import Role
from integritas.organisations.constants import OrganisationKind

FUNCTIONS_CSV = Path(__file__).with_name("functies.csv")

REGION_SLUG = "leidse-regio"
REGION_NAME = "Leidse regio"

# All demo accounts share this password: it is a demo, printed by `integritas demo_logins`.
DEMO_PASSWORD = "Integritas-demo-2026"  # noqa: S105
DEMO_EMAIL_DOMAIN = "demo.integritas.example"
GIFT_THRESHOLD = Decimal("50.00")

# Dates in the demo are fixed (not relative to today), so that a later run of seed_demo
# computes exactly the same rows. Nothing starts after this day; former employees left
# before it.
DEMO_REFERENCE_DATE = datetime.date(2026, 11, 1)

# Functions whose VOG uses the specific screening profile (integrity-sensitive finance,
# management and procurement positions); every other "vog: ja" gets the general one.
SPECIFIC_SCREENING_FUNCTIONS = frozenset({"GS", "DIR", "CON", "FIN", "TRE", "INK"})
INTERN_FUNCTION = "STG"
HEAD_FUNCTION = "TL"


@dataclass(frozen=True)
class UnitSpec:
    """An afdeling or team: code, name, parent code and the functions of its people."""

    code: str
    name: str
    parent: str | None
    functions: tuple[str, ...]
    weight: int = 3


@dataclass(frozen=True)
class OrganisationSpec:
    slug: str
    name: str
    kind: str
    case_prefix: str
    regulation_name: str
    regulation_year: int
    employee_count: int
    units: tuple[str, ...]  # unit codes taken from the organisation's template
    head_function: str = "GS"
    works_council_reference: str = ""

    @property
    def contact_email(self) -> str:
        return f"integriteit@{self.slug}.example"


MUNICIPALITY_UNITS: tuple[UnitSpec, ...] = (
    UnitSpec("DIR", "Directie", None, ("DIR", "SEC", "CON", "BSB"), weight=1),
    UnitSpec("PUB", "Publiekszaken", "DIR", ("BSB", "SEC"), weight=1),
    UnitSpec("PUB-BZ", "Team Burgerzaken", "PUB", ("BZ",), weight=4),
    UnitSpec("PUB-BEL", "Team Belastingen", "PUB", ("BEL", "BEL", "INV")),
    UnitSpec("RUI", "Ruimte", "DIR", ("BSB", "JUR"), weight=2),
    UnitSpec(
        "RUI-VTH", "Team Vergunningen, toezicht en handhaving", "RUI", ("VGV", "TOE", "BOA"), 4
    ),
    UnitSpec("RUI-GV", "Team Grond en vastgoed", "RUI", ("VG", "GRB"), weight=2),
    UnitSpec("SOC", "Sociaal domein", "DIR", ("BSB", "JUR"), weight=2),
    UnitSpec("SOC-WI", "Team Werk en inkomen", "SOC", ("CSW",), weight=4),
    UnitSpec("SOC-WMO", "Team Wmo en jeugd", "SOC", ("WMO", "WMO", "SUB")),
    UnitSpec("BDV", "Bedrijfsvoering", "DIR", ("COM", "JUR", "PRV"), weight=2),
    UnitSpec("BDV-FIN", "Team Financiën", "BDV", ("FIN", "TRE", "SALA")),
    UnitSpec("BDV-HRM", "Team HRM", "BDV", ("HRA", "HRA", "SALA"), weight=2),
    UnitSpec("BDV-IV", "Team Informatievoorziening", "BDV", ("ICT", "ICT", "PRV")),
    UnitSpec("BDV-INK", "Team Inkoop en facilitair", "BDV", ("INK", "CMB", "MAG"), weight=2),
)

SHARED_SERVICE_UNITS: tuple[UnitSpec, ...] = (
    UnitSpec("DIR", "Directie", None, ("SEC", "CON", "BSB"), weight=1),
    UnitSpec("ICT", "ICT", "DIR", ("ICT",), weight=2),
    UnitSpec("ICT-APP", "Team Applicatiebeheer", "ICT", ("ICT",), weight=5),
    UnitSpec("ICT-IBP", "Team Informatiebeveiliging en privacy", "ICT", ("PRV", "ICT")),
    UnitSpec("FIN", "Financiën", "DIR", ("FIN", "CON"), weight=2),
    UnitSpec("FIN-ADM", "Team Financiële administratie", "FIN", ("FIN", "SALA"), weight=4),
    UnitSpec("FIN-TRE", "Team Treasury", "FIN", ("TRE",), weight=1),
    UnitSpec("HRM", "HRM", "DIR", ("HRA", "HRA", "SALA"), weight=4),
    UnitSpec("INK", "Inkoop en contractmanagement", "DIR", ("INK", "CMB"), weight=3),
    UnitSpec("JZ", "Juridische zaken", "DIR", ("JUR",), weight=2),
)

_ALL_MUNICIPAL = tuple(unit.code for unit in MUNICIPALITY_UNITS)

ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    OrganisationSpec(
        slug="leiden",
        name="Gemeente Leiden",
        kind=OrganisationKind.MUNICIPALITY,
        case_prefix="LEI",
        regulation_name="Regeling melding vermoeden integriteitsschending Leiden",
        regulation_year=2024,
        employee_count=146,
        units=_ALL_MUNICIPAL,
    ),
    OrganisationSpec(
        slug="leiderdorp",
        name="Gemeente Leiderdorp",
        kind=OrganisationKind.MUNICIPALITY,
        case_prefix="LDP",
        regulation_name="Regeling melding vermoeden integriteitsschending Leiderdorp",
        regulation_year=2024,
        employee_count=112,
        units=_ALL_MUNICIPAL,
        works_council_reference="Instemming OR Leiderdorp, 2024",
    ),
    OrganisationSpec(
        slug="oegstgeest",
        name="Gemeente Oegstgeest",
        kind=OrganisationKind.MUNICIPALITY,
        case_prefix="OGG",
        regulation_name="Regeling melding vermoeden integriteitsschending Oegstgeest",
        regulation_year=2023,
        employee_count=84,
        units=(
            "DIR",
            "PUB",
            "PUB-BZ",
            "PUB-BEL",
            "RUI",
            "RUI-VTH",
            "SOC",
            "SOC-WI",
            "SOC-WMO",
            "BDV",
        ),
    ),
    OrganisationSpec(
        slug="zoeterwoude",
        name="Gemeente Zoeterwoude",
        kind=OrganisationKind.MUNICIPALITY,
        case_prefix="ZTW",
        regulation_name="Regeling melding vermoeden integriteitsschending Zoeterwoude",
        regulation_year=2023,
        employee_count=66,
        units=("DIR", "PUB", "PUB-BZ", "RUI", "RUI-VTH", "SOC", "BDV"),
    ),
    OrganisationSpec(
        slug="servicecentrum",
        name="Servicecentrum Leidse Regio",
        kind=OrganisationKind.SHARED_SERVICE,
        case_prefix="SLR",
        regulation_name=(
            "Regeling melding vermoeden integriteitsschending Servicecentrum Leidse Regio"
        ),
        regulation_year=2024,
        employee_count=94,
        units=tuple(unit.code for unit in SHARED_SERVICE_UNITS),
        head_function="DIR",
    ),
)


def unit_template(spec: OrganisationSpec) -> tuple[UnitSpec, ...]:
    if spec.kind == OrganisationKind.SHARED_SERVICE:
        return SHARED_SERVICE_UNITS
    return MUNICIPALITY_UNITS


# Seed 3.1: the core values of Leiderdorp, with their texts as the policy words them.
LEIDERDORP_CORE_VALUES: tuple[tuple[str, str], ...] = (
    (
        "Vertrouwen",
        "Vertrouwen is voor mij een basis om te kunnen samenwerken. Vertrouwen hebben in "
        "elkaar zie ik als een belangrijke voorwaarde om verantwoordelijkheid te delen. We "
        "hebben vertrouwen in elkaar omdat we in elkaar geloven. Ik geloof in andermans "
        "eigenschappen, kennis en professionaliteit.",
    ),
    (
        "Respect",
        "Wij verschillen van elkaar. Niet alleen qua uiterlijk, maar ook wat betreft kennis, "
        "vaardigheden, eigenschappen en beperkingen. We zijn gelijkwaardig: in onze "
        "organisatie mag iedereen zichzelf zijn en dus ook anders zijn. In onze organisatie "
        "kennen we elkaar meer dan alleen bij naam. Ik laat mensen in hun waarde en we "
        "benutten elkaars kwaliteiten. We versterken elkaar.",
    ),
    (
        "Lef",
        "Ik durf nieuwe wegen te bewandelen. Ik geef de ander de ruimte om op creatieve wijze "
        "problemen aan te pakken. Ik heb het lef om te ontdekken en te verkennen. Niet alleen "
        "praten, maar ook doen en experimenteren. Ik durf te leren en fouten maken mag. Ik "
        "spreek een ander aan en geef positieve feedback. Ik kijk regelmatig als individu, "
        "als lid van een team en als werknemer van de organisatie in de spiegel en ik ben "
        "kritisch op hetgeen wat ik zie.",
    ),
    (
        "Bevlogen",
        "Ik ben betrokken en gedreven in wat ik doe. Ik leer van anderen en we nemen elkaar "
        "mee in elkaars enthousiasme. Ik ben gedreven. Ik wil mezelf verder ontwikkelen. Ik "
        "ben constant in beweging. Ik voel me verantwoordelijk voor de resultaten.",
    ),
    (
        "Eigenaarschap",
        "Ik ben verantwoordelijk voor mijn eigen werk en ik toon leiderschap. Ik ga uit van "
        "ieders kracht. Iedere medewerker bezit eigen kennis en vaardigheden die voor de "
        "organisatie waardevol zijn. Ik regisseer mijn eigen werk en ik ben niet volgzaam "
        "vanuit een hiërarchische verhouding. In mijn werk benut ik mijn netwerk en durf los "
        "te laten.",
    ),
    (
        "Nieuwsgierig",
        "Ik heb interesse in mijn werk, mijn collega\u2019s en mijn omgeving. Ik ben leergierig. "
        "Ik luister en ben niet bang om vragen te stellen.",
    ),
    (
        "Behulpzaam",
        "Ik ben bereid om te helpen. Ik stel me toegankelijk en open op. We brengen elkaar "
        "naar een hoger niveau. Dit doe ik voor mijn collega\u2019s en voor de samenleving.",
    ),
)

CORE_VALUES: dict[str, tuple[tuple[str, str], ...]] = {"leiderdorp": LEIDERDORP_CORE_VALUES}


@dataclass(frozen=True)
class DemoAccount:
    """One demo login: a person employed by `organisation` (a slug) in `unit`, holding
    `role` there, or in the whole region when `regional`.

    `persona` says what the account is for, the same word in every organisation
    (employee, manager, hrm, integrity_officer, secretary, substitute, ...); `key` is
    unique over the demo. `totp_secret` is fixed and documented here on purpose:
    `integritas demo_logins` prints it (and the current code) so that a demo can pass the
    second factor. Empty for the logins that need no second factor (employee, manager).
    `substitutes_secretary`: designated as the organisation's substitute for the
    secretary (seed 5.2), in the organisation the account works for.
    """

    key: str
    persona: str
    label: str | Promise
    email_local: str
    first_name: str
    last_name: str
    unit: str
    function: str
    role: str | None = None  # the RoleAssignment; None for employee and manager
    regional: bool = False
    heads_unit: bool = False
    totp_secret: str = ""
    start_date: datetime.date = datetime.date(2015, 3, 1)
    organisation: str = "leiderdorp"
    substitutes_secretary: bool = False

    @property
    def email(self) -> str:
        return f"{self.email_local}@{DEMO_EMAIL_DOMAIN}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def scope(self) -> str:
        """Where the role holds: the region's slug for a regional role, else the employer."""
        return REGION_SLUG if self.regional else self.organisation


# The organisation every one of the original fourteen demo accounts works for.
DEMO_ORGANISATION = "leiderdorp"

# The original fourteen: one per role, every one employed by Leiderdorp. Their e-mail
# addresses and keys never change (scripts, browser tests and habits know them).
_LEIDERDORP_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        key="employee",
        persona="employee",
        label=_("Medewerker"),
        email_local="medewerker",
        first_name="Sanne",
        last_name="de Vries",
        unit="PUB-BZ",
        function="BZ",
        start_date=datetime.date(2019, 9, 1),
    ),
    DemoAccount(
        key="manager",
        persona="manager",
        label=_("Leidinggevende"),
        email_local="leidinggevende",
        first_name="Mark",
        last_name="van den Berg",
        unit="PUB-BZ",
        function="TL",
        heads_unit=True,
        start_date=datetime.date(2012, 4, 1),
    ),
    DemoAccount(
        key="hrm",
        persona="hrm",
        label=_("HRM"),
        email_local="hrm",
        first_name="Fatima",
        last_name="El Amrani",
        unit="BDV-HRM",
        function="HRA",
        role=Role.HRM,
        totp_secret="B7U5CPB4HC5H3HTUHLRIFYWZEAICMUZR",  # noqa: S106
        start_date=datetime.date(2017, 1, 1),
    ),
    DemoAccount(
        key="integrity_officer",
        persona="integrity_officer",
        label=_("Functionaris integriteit"),
        email_local="functionaris",
        first_name="Eva",
        last_name="Jansen",
        unit="BDV",
        function="BSB",
        role=Role.INTEGRITY_OFFICER,
        totp_secret="P5GP4KSNYXLDPOVJ7MQAJVPB4RF4ZXWY",  # noqa: S106
        start_date=datetime.date(2016, 6, 1),
    ),
    DemoAccount(
        key="integrity_coordinator",
        persona="integrity_coordinator",
        label=_("Integriteitscoördinator"),
        email_local="coordinator",
        first_name="Pieter",
        last_name="Bakker",
        unit="BDV",
        function="JUR",
        role=Role.INTEGRITY_COORDINATOR,
        regional=True,
        totp_secret="7ZXWP4SXITEGOCRB2RGHP3OWZTVOIPFH",  # noqa: S106
        start_date=datetime.date(2011, 2, 1),
    ),
    DemoAccount(
        key="investigator",
        persona="investigator",
        label=_("Onderzoeker"),
        email_local="onderzoeker",
        first_name="Noor",
        last_name="Visser",
        unit="RUI",
        function="JUR",
        role=Role.INVESTIGATOR,
        totp_secret="3ESVZIF6HSMU2OYLDFKN62V7SW4MRQDD",  # noqa: S106
        start_date=datetime.date(2018, 10, 1),
    ),
    DemoAccount(
        key="secretary",
        persona="secretary",
        label=_("Gemeentesecretaris"),
        email_local="secretaris",
        first_name="Hanneke",
        last_name="van Dijk",
        unit="DIR",
        function="GS",
        role=Role.SECRETARY,
        heads_unit=True,
        totp_secret="WYXUIENUTL5VMXSJSCARVH7LVCOZRAXS",  # noqa: S106
        start_date=datetime.date(2014, 5, 1),
    ),
    DemoAccount(
        key="confidential_counsellor",
        persona="confidential_counsellor",
        label=_("Vertrouwenspersoon"),
        email_local="vertrouwenspersoon",
        first_name="Ahmed",
        last_name="Yilmaz",
        unit="SOC-WMO",
        function="WMO",
        role=Role.CONFIDENTIAL_COUNSELLOR,
        totp_secret="AD4Q7KQJ57EQVQFLJLSP2DPNSUSPYUEX",  # noqa: S106
        start_date=datetime.date(2013, 8, 1),
    ),
    DemoAccount(
        key="central_counsellor",
        persona="central_counsellor",
        label=_("Centrale vertrouwenspersoon"),
        email_local="centrale-vertrouwenspersoon",
        first_name="Ingrid",
        last_name="Smit",
        unit="BDV-HRM",
        function="HRA",
        role=Role.CENTRAL_COUNSELLOR,
        regional=True,
        totp_secret="2PMDNAHQEPLIY5EX3HRCHOFC4HY4DUGE",  # noqa: S106
        start_date=datetime.date(2009, 1, 1),
    ),
    DemoAccount(
        key="management_board",
        persona="management_board",
        label=_("Directie"),
        email_local="directie",
        first_name="Robert",
        last_name="de Graaf",
        unit="DIR",
        function="DIR",
        role=Role.MANAGEMENT_BOARD,
        totp_secret="NQNFFXZX6PV7S5ZRQTQNNOAYLCIWJXR5",  # noqa: S106
        start_date=datetime.date(2016, 1, 1),
        substitutes_secretary=True,
    ),
    DemoAccount(
        key="works_council",
        persona="works_council",
        label=_("OR-lid"),
        email_local="or-lid",
        first_name="Lisa",
        last_name="Mulder",
        unit="RUI-VTH",
        function="VGV",
        role=Role.WORKS_COUNCIL,
        totp_secret="NQALUQXWTDRW4VBT37MBYQB6F3GCRG6Z",  # noqa: S106
        start_date=datetime.date(2020, 3, 1),
    ),
    DemoAccount(
        key="working_group",
        persona="working_group",
        label=_("Werkgroep integriteit"),
        email_local="werkgroep",
        first_name="Daan",
        last_name="Meijer",
        unit="SOC",
        function="BSB",
        role=Role.WORKING_GROUP,
        regional=True,
        totp_secret="43XHZRT7XFAKHYJ67LBX4SPK52UBAF6C",  # noqa: S106
        start_date=datetime.date(2021, 9, 1),
    ),
    DemoAccount(
        key="administrator",
        persona="administrator",
        label=_("Beheerder"),
        email_local="beheerder",
        first_name="Kees",
        last_name="de Boer",
        unit="BDV-IV",
        function="ICT",
        role=Role.ADMINISTRATOR,
        regional=True,
        totp_secret="7RM3IHB4ALIDSOUUYR2X3RIDRT3PK2BK",  # noqa: S106
        start_date=datetime.date(2010, 11, 1),
    ),
    DemoAccount(
        key="administrator_2",
        persona="administrator_2",
        label=_("Tweede beheerder (vier ogen)"),
        email_local="beheerder2",
        first_name="Yvonne",
        last_name="Kok",
        unit="BDV-IV",
        function="ICT",
        role=Role.ADMINISTRATOR,
        regional=True,
        totp_secret="NVZB5EQELNKO7S5ZT526UGILPXOUIWOL",  # noqa: S106
        start_date=datetime.date(2015, 7, 1),
    ),
)


@dataclass(frozen=True)
class _Person:
    first_name: str
    last_name: str
    totp_secret: str = ""
    start_date: datetime.date = datetime.date(2015, 3, 1)


@dataclass(frozen=True)
class _Layout:
    """Where the five everyday accounts of an organisation sit in its unit tree."""

    head_function: str  # of the secretary (a director at the shared service centre)
    substitute_function: str
    officer_unit: str
    officer_function: str
    hrm_unit: str
    team: str  # the manager heads it, the employee works in it
    team_function: str
    counsellor_unit: str = "SOC-WMO"  # where the vertrouwenspersoon works
    counsellor_function: str = "WMO"


_MUNICIPAL_LAYOUT = _Layout("GS", "DIR", "BDV", "BSB", "BDV-HRM", "PUB-BZ", "BZ")


def _organisation_accounts(
    slug: str, layout: _Layout, people: dict[str, _Person]
) -> tuple[DemoAccount, ...]:
    """The everyday accounts of one organisation besides Leiderdorp: its secretary (or
    director) and her own substitute, an integrity officer, HRM, a manager, an employee and
    its vertrouwenspersoon (whose name the organisation's directory shows).

    E-mail addresses follow the pattern `<persona word>.<slug>@demo.integritas.example`.
    """
    director = layout.head_function == "DIR"
    specs: tuple[tuple[str, str | Promise, str, str, str, str | None, bool], ...] = (
        # persona, label, e-mail word, unit, function, role, heads the unit
        (
            "secretary",
            _("Directeur") if director else _("Gemeentesecretaris"),
            "directeur" if director else "secretaris",
            "DIR",
            layout.head_function,
            Role.SECRETARY,
            True,
        ),
        (
            "substitute",
            _("Vervanger directeur") if director else _("Vervanger gemeentesecretaris"),
            "vervanger",
            "DIR",
            layout.substitute_function,
            Role.MANAGEMENT_BOARD,
            False,
        ),
        (
            "integrity_officer",
            _("Functionaris integriteit"),
            "functionaris",
            layout.officer_unit,
            layout.officer_function,
            Role.INTEGRITY_OFFICER,
            False,
        ),
        ("hrm", _("HRM"), "hrm", layout.hrm_unit, "HRA", Role.HRM, False),
        ("manager", _("Leidinggevende"), "leidinggevende", layout.team, HEAD_FUNCTION, None, True),
        ("employee", _("Medewerker"), "medewerker", layout.team, layout.team_function, None, False),
        (
            "confidential_counsellor",
            _("Vertrouwenspersoon"),
            "vertrouwenspersoon",
            layout.counsellor_unit,
            layout.counsellor_function,
            Role.CONFIDENTIAL_COUNSELLOR,
            False,
        ),
    )
    return tuple(
        DemoAccount(
            key=f"{persona}:{slug}",
            persona=persona,
            label=label,
            email_local=f"{word}.{slug}",
            first_name=people[persona].first_name,
            last_name=people[persona].last_name,
            unit=unit,
            function=function,
            role=role,
            heads_unit=heads,
            totp_secret=people[persona].totp_secret,
            start_date=people[persona].start_date,
            organisation=slug,
            substitutes_secretary=persona == "substitute",
        )
        for persona, label, word, unit, function, role, heads in specs
    )


_D = datetime.date

# TOTP secrets below are fixed on purpose, like the ones above (printed by demo_logins).
_OTHER_ORGANISATIONS_ACCOUNTS: tuple[DemoAccount, ...] = (
    *_organisation_accounts(
        "leiden",
        _MUNICIPAL_LAYOUT,
        {
            "secretary": _Person(
                "Marjolein", "Verbrugge", "HKAHKUUEM5ORV4GSHHQCLIIEQPXLVZKM", _D(2013, 2, 1)
            ),
            "substitute": _Person(
                "Joris", "Terlouw", "KJQ2A3TTCY7DPAVNFM3BI524REDOQGUL", _D(2011, 9, 1)
            ),
            "integrity_officer": _Person(
                "Sevda", "Arslantepe", "JPONS32VTRW3QJCMTXS5UZCVMQTSOP5W", _D(2018, 4, 1)
            ),
            "hrm": _Person(
                "Gijsbert", "Hoogeveen", "UKA2GRK63Y65JDERLIHXAQ6DG4IHOAAL", _D(2016, 10, 1)
            ),
            "manager": _Person("Ilona", "Brinkhorst", start_date=_D(2012, 1, 1)),
            "employee": _Person("Tarik", "Benhaddou", start_date=_D(2021, 5, 1)),
            "confidential_counsellor": _Person(
                "Roelien", "Hofstede", "VMBTEVA6WV75MLXEYVFAH4AX2Z2VGZLZ", _D(2014, 10, 1)
            ),
        },
    ),
    *_organisation_accounts(
        "oegstgeest",
        _Layout("GS", "DIR", "BDV", "BSB", "BDV", "PUB-BZ", "BZ"),
        {
            "secretary": _Person(
                "Wendelien", "Oosterkamp", "6E4ZUMVWGJPAWBLWEFB6HLTXQNBHJJJZ", _D(2015, 6, 1)
            ),
            "substitute": _Person(
                "Reinier", "Vlasblom", "GQFKNE4MKTIBDEJEDUV3UEUELQYJILGH", _D(2010, 3, 1)
            ),
            "integrity_officer": _Person(
                "Malika", "Ouazzani", "XDRIYP2KH2NA6A44JRC6V3OHBGWZULTW", _D(2019, 1, 1)
            ),
            "hrm": _Person(
                "Corinne", "Haasbroek", "H3AKIZ3MSWDEPKEV3R4N7HBKS6HQIG4Q", _D(2017, 8, 1)
            ),
            "manager": _Person("Bart", "Schoonderwoerd", start_date=_D(2014, 2, 1)),
            "employee": _Person("Lieke", "Wassenburg", start_date=_D(2022, 9, 1)),
            "confidential_counsellor": _Person(
                "Koen", "Verschuur", "AXZMRTID7JV2OWACI55UIBK4PJFY4JZ6", _D(2016, 2, 1)
            ),
        },
    ),
    *_organisation_accounts(
        "zoeterwoude",
        _Layout("GS", "DIR", "BDV", "BSB", "BDV", "PUB-BZ", "BZ", "SOC", "BSB"),
        {
            "secretary": _Person(
                "Hendrika", "Zandvliet", "JPKJF2LBK72Z6G46MJ24NIX6Q34ZJ5HM", _D(2012, 11, 1)
            ),
            "substitute": _Person(
                "Olaf", "Kraaikamp", "A3MUED4Y7BD3PW347MRO2YR4FTAH4FP4", _D(2009, 5, 1)
            ),
            "integrity_officer": _Person(
                "Naima", "Bouzerda", "5KGS4FJROMJUK2ZCJRSUDWYF4UEAZH4C", _D(2020, 2, 1)
            ),
            "hrm": _Person(
                "Wouter", "Lansbergen", "PKOA5NRJQMH7A46PAM4ODQMEEIAMPJ4I", _D(2016, 3, 1)
            ),
            "manager": _Person("Greetje", "Molenkamp", start_date=_D(2011, 7, 1)),
            "employee": _Person("Devin", "Ramsaran", start_date=_D(2023, 3, 1)),
            "confidential_counsellor": _Person(
                "Miriam", "Stolwijk", "GESOXIBEKCUESAZJCV63BAHK5K6NXDIY", _D(2013, 6, 1)
            ),
        },
    ),
    *_organisation_accounts(
        "servicecentrum",
        _Layout("DIR", "CON", "JZ", "JUR", "HRM", "ICT-APP", "ICT", "HRM", "HRA"),
        {
            "secretary": _Person(
                "Annelot", "Grevelink", "E6NWL4SUVJMVRNVQ2NFURQDDODM5XE5G", _D(2014, 9, 1)
            ),
            "substitute": _Person(
                "Maurits", "Cruysberg", "MA3XVTSUGXJSJBDWUHRPXGCDTH242QCA", _D(2013, 4, 1)
            ),
            "integrity_officer": _Person(
                "Yasmina", "Chaouch", "VLXKNYSQTJ3YC45R2JSEZISEPU3H27GY", _D(2018, 11, 1)
            ),
            "hrm": _Person(
                "Ferdinand", "Boogaerdt", "D4NB4SA56EZZ4LQARY3X5NFE5VTHXY62", _D(2015, 1, 1)
            ),
            "manager": _Person("Petra", "Vonk-Alberts", start_date=_D(2010, 10, 1)),
            "employee": _Person("Kasper", "Ijzerman", start_date=_D(2020, 6, 1)),
            "confidential_counsellor": _Person(
                "Orlando", "Pinas", "GYGDTTJLFSXSH2HLWS7YGZJ7JVKCRVHN", _D(2017, 9, 1)
            ),
        },
    ),
)

# A second investigator, for the whole region: the Leiderdorp one investigates only there.
_REGIONAL_INVESTIGATOR = DemoAccount(
    key="investigator:region",
    persona="investigator",
    label=_("Onderzoeker (regio)"),
    email_local="onderzoeker.regio",
    first_name="Bastiaan",
    last_name="Heemskerk",
    unit="JZ",
    function="JUR",
    role=Role.INVESTIGATOR,
    regional=True,
    totp_secret="QAQYFPOUFSSRVICYAFDXSN6KHJWK5YKB",  # noqa: S106
    start_date=datetime.date(2012, 5, 1),
    organisation="servicecentrum",
)

# The burgemeester of each municipality (not of the shared service centre): decides on
# the gemeentesecretaris's own registrations (side activities, gifts; seed 3.2.6). Kept on
# the books in the directie's unit so that the account has an employee record.
_MAYORS: tuple[DemoAccount, ...] = tuple(
    DemoAccount(
        key="mayor" if slug == DEMO_ORGANISATION else f"mayor:{slug}",
        persona="mayor",
        label=_("Burgemeester"),
        email_local="burgemeester" if slug == DEMO_ORGANISATION else f"burgemeester.{slug}",
        first_name=first_name,
        last_name=last_name,
        unit="DIR",
        function="BSB",
        role=Role.MAYOR,
        totp_secret=secret,
        start_date=start,
        organisation=slug,
    )
    for slug, first_name, last_name, secret, start in (
        ("leiderdorp", "Laurens", "Ackerboom", "K6I5WU53MU4EIBVHCVFUMHH72JJUZ4GF", _D(2019, 6, 1)),
        ("leiden", "Henriëtte", "Vrijmoed", "RUYKUG27A4CML7TYZ4N2XL5QHODJ6MTG", _D(2018, 9, 1)),
        (
            "oegstgeest",
            "Maarten",
            "Dobbelsteen",
            "JUUNTSXVBL33QIZXXG6QBVMHFWYHQKDH",
            _D(2020, 1, 1),
        ),
        ("zoeterwoude", "Josefien", "Kieviet", "I2ZNUCY7OK4YQEBWTC6C6UF3B27MFXKH", _D(2017, 4, 1)),
    )
)

# The shared service centre has no burgemeester: the chair of its governing board (one of
# the region's burgemeesters, in the role burgemeester there) decides on the director's
# own registrations, so that they do not wait for nobody and the director's approved side
# activity is published like every other organisation's gemeentesecretaris's.
_BOARD_CHAIR = DemoAccount(
    key="mayor:servicecentrum",
    persona="mayor",
    label=_("Voorzitter bestuur"),
    email_local="voorzitter.servicecentrum",
    first_name="Reinier",
    last_name="Van Dorsser",
    unit="DIR",
    function="BSB",
    role=Role.MAYOR,
    totp_secret="BZMSEQMGQ4PIVHT77BFXP6JO2ODUATYV",  # noqa: S106
    start_date=_D(2021, 1, 1),
    organisation="servicecentrum",
)

#: Every demo account, the single list (seed, demo_logins, browser tests, benchmarks).
#: All accounts of one organisation: `accounts_of(slug)`; the regional ones have
#: `regional=True` (their role covers the region; they still work for `organisation`).
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    *_LEIDERDORP_ACCOUNTS,
    _REGIONAL_INVESTIGATOR,
    *_OTHER_ORGANISATIONS_ACCOUNTS,
    *_MAYORS,
    _BOARD_CHAIR,
)


def accounts_of(slug: str, *, with_regional: bool = False) -> tuple[DemoAccount, ...]:
    """The demo accounts employed by organisation `slug`; with the regional role holders
    too (who work for any organisation but act in all of them) if `with_regional`."""
    return tuple(
        account
        for account in DEMO_ACCOUNTS
        if account.organisation == slug or (with_regional and account.regional)
    )


def account(key: str) -> DemoAccount:
    """One demo account by its key ("secretary", "secretary:leiden", ...)."""
    return next(a for a in DEMO_ACCOUNTS if a.key == key)


# Names for the generated employees. Surnames carry their tussenvoegsel ("van der",
# "de") as Dutch HR systems export them in the achternaam column.
FIRST_NAMES: tuple[str, ...] = (
    "Anna",
    "Anouk",
    "Annemarie",
    "Bas",
    "Bram",
    "Carla",
    "Daan",
    "Dennis",
    "Dewi",
    "Ellen",
    "Emma",
    "Erik",
    "Esther",
    "Femke",
    "Floor",
    "Frank",
    "Gerrit",
    "Hans",
    "Hatice",
    "Ilse",
    "Jan",
    "Jasper",
    "Jeroen",
    "Joost",
    "Julia",
    "Karin",
    "Kevin",
    "Laura",
    "Lieke",
    "Linda",
    "Lotte",
    "Lucas",
    "Maaike",
    "Manon",
    "Marieke",
    "Marloes",
    "Martijn",
    "Mohamed",
    "Monique",
    "Nadia",
    "Niels",
    "Nina",
    "Patrick",
    "Peter",
    "Priya",
    "Rachid",
    "Renate",
    "Richard",
    "Rik",
    "Roos",
    "Ruben",
    "Samira",
    "Sander",
    "Sarah",
    "Saskia",
    "Sem",
    "Sophie",
    "Stefan",
    "Susan",
    "Thijs",
    "Thomas",
    "Tim",
    "Tom",
    "Vera",
    "Wendy",
    "Willem",
    "Wouter",
    "Yara",
    "Youssef",
    "Zeynep",
)

LAST_NAMES: tuple[str, ...] = (
    "Jansen",
    "de Jong",
    "van der Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "van der Linden",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Heuvel",
    "van der Veen",
    "van den Broek",
    "de Bruijn",
    "de Bruin",
    "van der Heijden",
    "Schouten",
    "van Beek",
    "Willems",
    "van Vliet",
    "van de Ven",
    "Hoekstra",
    "Maas",
    "Verhoeven",
    "Koster",
    "van Dam",
    "van der Wal",
    "Prins",
    "Blom",
    "Huisman",
    "Peeters",
    "de Lange",
    "Kuipers",
    "van Wijk",
    "Postma",
    "Kuiper",
    "Veenstra",
    "Kramer",
    "van den Brink",
    "Scholten",
    "van Wijngaarden",
    "Boukhari",
    "Yildiz",
    "Öztürk",
    "Ramdin",
    "Biharie",
    "Tjon",
    "Nguyen",
    "El Idrissi",
    "Kaya",
    "van Rijn",
    "ter Horst",
    "in 't Veld",
    "van 't Hof",
    "Zwart",
    "Groen",
    "Roelofs",
)

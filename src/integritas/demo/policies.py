"""Demo data: the document centre: the seed policy of Leiderdorp and a gedragscode in two versions.

Idempotent, through the app's services; called by seed.py after the people exist.

- Leiderdorp's integriteitsbeleid: the seed policy itself (documents/000_…txt, a text
  extracted from the PDF), its numbered chapters turned into Markdown headings.
- The regional gedragscode of the Leidse regio in two vastgestelde versions (version 2
  changes a few sections), with local additions of Leiderdorp and Leiden.
- The regional meldregeling, adopted with the works council's consent reference (R-WBK-11).
- Acknowledgements: the demo managers and HRM acknowledged both versions; the demo
  employees only version 1, so that "Nieuwe gedragscode lezen en bevestigen" waits for them.
"""

import datetime
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from integritas.accounts.models import User
from integritas.organisations.models import Organisation
from integritas.policies import services
from integritas.policies.constants import AdoptionBody, DocumentKind, VersionStatus
from integritas.policies.models import Acknowledgement, Document, DocumentVersion

DOCUMENTS = Path(__file__).resolve().parent / "documents"
SEED_POLICY = DOCUMENTS / "000_ed701999513463ef.txt"

CODE_TITLE = "Gedragscode Leidse regio"
REGULATION_TITLE = "Regeling melden vermoeden integriteitsschending Leidse regio"
POLICY_TITLE = "Integriteitsbeleid gemeente Leiderdorp"
CONSENT_REFERENCE = "OR-LR/2023/014"

_D = datetime.date
_CHAPTER = re.compile(r"^ (\d) (\S.*?)\s*$")  # " 3 Waarden en normen" (a space before)
_SECTION = re.compile(r"^(\d)\.(\d)\.? (\S.*?)\s*$")  # "3.1 Kernwaarden …", "3.3. Wettelijk kader"
_ITEM = re.compile(r"^\s?(\d{1,2})\. (\S.*?)\s*$")  # "2. Gedragscode" (the instruments of 3.2)
_FOOTNOTE = re.compile(r"^(\d) (\S.*?)\s*$")  # "1 https://…" (no space before)
_PAGE_FURNITURE = re.compile(r"^\s*(\d{1,3}|Integriteitsbeleid)\s*$")
_BULLET = re.compile(r"^\s*[•▪]\s*(.*?)\s*$")


def seed_policy_markdown(text: str) -> str:
    """The seed policy as Markdown: chapters "# 1 Inleiding", paragraphs "## 3.1 …", the
    eleven instruments of 3.2 as "### 1. Beleidsdocument" where their text begins (the list
    that names them first stays a list), bullets as list items, running lines joined into
    paragraphs; page headers and page numbers dropped, footnotes kept as "Noot n: …"."""
    blocks: list[str] = []
    paragraph: list[str] = []
    instruments_listed = 0
    next_instrument = 1

    def flush() -> None:
        if paragraph:
            blocks.append(" ".join(paragraph))
            paragraph.clear()

    for line in text.splitlines():
        if line == "":  # the extraction puts an empty line after every line
            continue
        if not line.strip():  # a line of spaces ends a paragraph
            flush()
            continue
        if _PAGE_FURNITURE.match(line):
            continue
        if match := _CHAPTER.match(line):
            flush()
            blocks.append(f"# {match[1]} {match[2]}")
            continue
        if match := _SECTION.match(line):
            flush()
            blocks.append(f"## {match[1]}.{match[2]} {match[3]}")
            continue
        if (match := _ITEM.match(line)) and int(match[1]) <= 11:
            number = int(match[1])
            if instruments_listed < 11 and number == instruments_listed + 1:
                instruments_listed = number
                flush()
                blocks.append(f"{number}. {match[2]}")
                continue
            if number == next_instrument:
                next_instrument += 1
                flush()
                blocks.append(f"### {number}. {match[2]}")
                continue
        if match := _FOOTNOTE.match(line):
            flush()
            blocks.append(f"Noot {match[1]}: {match[2]}")
            continue
        if match := _BULLET.match(line):
            flush()
            paragraph.append(f"- {match[1]}")
            continue
        paragraph.append(line.strip())
    flush()
    # Consecutive list items form one list: no blank line between them.
    markdown: list[str] = []
    previous_item = False
    for block in blocks:
        is_item = bool(re.match(r"^(- |\d{1,2}\. )", block))
        markdown.append(("\n" if is_item and previous_item else "\n\n") + block)
        previous_item = is_item
    return "".join(markdown).strip() + "\n"


def _document(
    actor: Any,
    *,
    title: str,
    kind: str,
    organisation: Organisation | None = None,
    region: Any = None,
    base: Document | None = None,
) -> tuple[Document, bool]:
    found = Document.objects.filter(
        title=title, organisation=organisation, region=region, base=base
    ).first()
    if found is not None:
        return found, False
    return services.document_create(
        actor=actor, kind=kind, title=title, organisation=organisation, region=region, base=base
    ), True


def _adopted(
    actor: Any,
    document: Document,
    number: int,
    content: str,
    *,
    effective: datetime.date,
    steps: Sequence[tuple[str, datetime.date, str, str]],
    summary: str = "",
) -> bool:
    """Version `number` of `document`, adopted from `effective` after `steps`; False if
    it was there already."""
    if document.versions.filter(number=number).exists():
        return False
    version = services.version_create(
        actor=actor, document=document, content=content, change_summary=summary
    )
    for body, decided_on, decided_by, reference in steps:
        services.adoption_step_add(
            actor=actor,
            version=version,
            body=body,
            decided_on=decided_on,
            decided_by=decided_by,
            consent_reference=reference,
        )
    services.version_adopt(actor=actor, version=version, effective_date=effective)
    return True


def _read(name: str) -> str:
    return (DOCUMENTS / name).read_text(encoding="utf-8")


def _acknowledge(users: dict[str, User], version: DocumentVersion, keys: list[str], on: Any) -> int:
    made = 0
    for key in keys:
        user = users.get(key)
        employee = getattr(user, "employee", None) if user is not None else None
        if employee is None or employee.is_former:
            continue
        if Acknowledgement.objects.filter(employee=employee, version=version).exists():
            continue
        services.acknowledgement_record(employee=employee, version=version, on=on)
        made += 1
    return made


def seed(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    """Make what is missing; return the number of rows made per label."""
    leiderdorp = orgs["leiderdorp"]
    region = leiderdorp.region
    working_group = users["working_group"]
    officer = users["integrity_officer"]
    made = {"documenten": 0, "documentversies": 0, "bevestigingen gedragscode": 0}

    # Leiderdorp's integriteitsbeleid: the seed policy.
    policy, new = _document(
        officer, title=POLICY_TITLE, kind=DocumentKind.INTEGRITY_POLICY, organisation=leiderdorp
    )
    made["documenten"] += new
    made["documentversies"] += _adopted(
        officer,
        policy,
        1,
        seed_policy_markdown(SEED_POLICY.read_text(encoding="utf-8")),
        effective=_D(2024, 7, 1),
        steps=[
            (AdoptionBody.WORKING_GROUP, _D(2024, 3, 12), "Werkgroep integriteit Leidse regio", ""),
            (AdoptionBody.PLATFORM, _D(2024, 4, 9), "Platform Bedrijfsvoering", ""),
            (AdoptionBody.DT, _D(2024, 5, 14), "Directieteam Leiderdorp", ""),
            (AdoptionBody.COUNCIL_EXECUTIVE, _D(2024, 6, 11), "College van B&W Leiderdorp", ""),
        ],
    )

    # The regional gedragscode, two versions.
    code, new = _document(
        working_group, title=CODE_TITLE, kind=DocumentKind.CODE_OF_CONDUCT, region=region
    )
    made["documenten"] += new
    code_steps_v1 = [
        (AdoptionBody.WORKING_GROUP, _D(2023, 9, 5), "Werkgroep integriteit Leidse regio", ""),
        (AdoptionBody.WORKS_COUNCIL, _D(2023, 10, 17), "Ondernemingsraad", "OR-LR/2023/011"),
        (AdoptionBody.COUNCIL_EXECUTIVE, _D(2023, 11, 7), "Colleges van B&W Leidse regio", ""),
    ]
    made["documentversies"] += _adopted(
        working_group, code, 1, _read("gedragscode_v1.md"), effective=_D(2024, 1, 1),
        steps=code_steps_v1,
    )  # fmt: skip
    # Everyone of the demo read version 1 while it was current; managers and HRM read
    # version 2 too, the demo employees not yet.
    slugs = sorted(orgs)
    suffix = {slug: "" if slug == "leiderdorp" else f":{slug}" for slug in slugs}
    everyone = [f"{p}{suffix[s]}" for s in slugs for p in ("employee", "manager", "hrm")]
    both = [f"{p}{suffix[s]}" for s in slugs for p in ("manager", "hrm")]
    first = code.versions.get(number=1)
    if first.status == VersionStatus.ADOPTED:
        made["bevestigingen gedragscode"] += _acknowledge(users, first, everyone, _D(2024, 1, 15))
    made["documentversies"] += _adopted(
        working_group,
        code,
        2,
        _read("gedragscode_v2.md"),
        effective=_D(2025, 9, 1),
        steps=[
            (AdoptionBody.WORKING_GROUP, _D(2025, 4, 8), "Werkgroep integriteit Leidse regio", ""),
            (AdoptionBody.WORKS_COUNCIL, _D(2025, 6, 3), "Ondernemingsraad", "OR-LR/2025/006"),
            (AdoptionBody.COUNCIL_EXECUTIVE, _D(2025, 7, 1), "Colleges van B&W Leidse regio", ""),
        ],
        summary="Ook vrijwilligers; geschenken registreren; nieuw: sociale media; sancties.",
    )

    # Local additions ("eigen inkleuring") of Leiderdorp and Leiden.
    for slug, key, name in (
        ("leiderdorp", "integrity_officer", "aanvulling_leiderdorp.md"),
        ("leiden", "integrity_officer:leiden", "aanvulling_leiden.md"),
    ):
        organisation, actor = orgs[slug], users[key]
        addition, new = _document(
            actor,
            title=f"Gedragscode: aanvulling {organisation.name}",
            kind=DocumentKind.CODE_OF_CONDUCT,
            organisation=organisation,
            base=code,
        )
        made["documenten"] += new
        made["documentversies"] += _adopted(
            actor, addition, 1, _read(name), effective=_D(2024, 1, 1),
            steps=[(AdoptionBody.MT, _D(2023, 12, 5), f"MT {organisation.name}", "")],
        )  # fmt: skip

    # The regional meldregeling, with the works council's consent (R-WBK-11).
    regulation, new = _document(
        working_group,
        title=REGULATION_TITLE,
        kind=DocumentKind.REPORTING_REGULATION,
        region=region,
    )
    made["documenten"] += new
    made["documentversies"] += _adopted(
        working_group,
        regulation,
        1,
        _read("meldregeling.md"),
        effective=_D(2023, 7, 1),
        steps=[
            (AdoptionBody.WORKS_COUNCIL, _D(2023, 5, 16), "Ondernemingsraad", CONSENT_REFERENCE),
            (AdoptionBody.COUNCIL_EXECUTIVE, _D(2023, 6, 6), "Colleges van B&W Leidse regio", ""),
        ],
    )

    second = code.versions.get(number=2)
    made["bevestigingen gedragscode"] += _acknowledge(users, second, both, _D(2025, 9, 8))
    return {label: count for label, count in made.items() if count}

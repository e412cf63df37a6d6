"""Validating every row of an HR export against the database, planning and applying it."""

import datetime
from collections.abc import Collection, Mapping

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.core.files.tabular import cell_text
from integritas.organisations import events
from integritas.organisations.constants import EmploymentType
from integritas.organisations.models import Employee, Function, Organisation, OrgUnit

from .reading import (
    BATCH_SIZE,
    COLUMNS,
    MANAGER_LEVELS,
    MAX_LENGTHS,
    REQUIRED_COLUMNS,
    HrImportResult,
    RowError,
    _RawRow,
    parse_date,
)
from .rows import (
    _cycle_text,
    _cycles,
    _Draft,
    _OrgState,
    _Row,
)


class _Importer:
    def __init__(
        self,
        raw_rows: list[_RawRow],
        *,
        allowed_organisation_ids: Collection[int] | None,
        today: datetime.date,
    ) -> None:
        self.raw_rows = raw_rows
        self.allowed = allowed_organisation_ids
        self.today = today
        self.errors: list[RowError] = []
        self.states: dict[int, _OrgState] = {}
        self.drafts: list[_Draft] = []

    def error(self, draft: _Draft | None, line: int, column: str, message: str) -> None:
        if draft is not None:
            draft.has_errors = True
        self.errors.append(RowError(line, column, message))

    # -- validation --------------------------------------------------------------

    def validate(self) -> list[RowError]:
        slugs = {cell_text(raw.values.get("organisatie")) for raw in self.raw_rows} - {""}
        organisations = {
            o.slug: o
            for o in Organisation.objects.select_for_update().filter(slug__in=slugs).order_by("pk")
        }
        self.drafts = [self._read_row(raw, organisations) for raw in self.raw_rows]
        self._load_states({d.organisation.pk for d in self.drafts if d.organisation})
        self._check_numbers()
        self._check_units_and_functions()
        self._check_unit_parents()
        self._check_managers()
        for draft in self.drafts:
            if not draft.has_errors and draft.organisation is not None:
                self.states[draft.organisation.pk].rows.append(self._freeze(draft))
        self.errors.sort(
            key=lambda e: (e.row, COLUMNS.index(e.field) if e.field in COLUMNS else -1)
        )
        return self.errors

    def _read_row(self, raw: _RawRow, organisations: Mapping[str, Organisation]) -> _Draft:
        draft = _Draft(raw.line)
        line = raw.line
        texts = {column: cell_text(raw.values.get(column)) for column in COLUMNS}
        for column in REQUIRED_COLUMNS:
            if not texts[column]:
                self.error(draft, line, column, _("Dit veld is verplicht."))
        for column, limit in MAX_LENGTHS.items():
            if len(texts[column]) > limit:
                self.error(draft, line, column, _("Maximaal %(limit)s tekens.") % {"limit": limit})

        draft.number = texts["personeelsnummer"]
        draft.first_name = texts["voornaam"]
        draft.last_name = texts["achternaam"]
        draft.unit_code = texts["afdeling"]
        draft.unit_name = texts["afdeling_naam"]
        draft.parent_code = texts["bovenliggende_afdeling"]
        draft.function_code = texts["functie"]
        draft.function_name = texts["functie_naam"]
        draft.manager_number = texts["leidinggevende"]

        if email := texts["email"]:
            try:
                validate_email(email)
                draft.email = email
            except ValidationError:
                self.error(
                    draft,
                    line,
                    "email",
                    _("'%(value)s' is geen geldig e-mailadres.") % {"value": email},
                )

        if slug := texts["organisatie"]:
            organisation = organisations.get(slug)
            if organisation is None:
                self.error(
                    draft,
                    line,
                    "organisatie",
                    _("Onbekende organisatie '%(slug)s'.") % {"slug": slug},
                )
            elif self.allowed is not None and organisation.pk not in self.allowed:
                self.error(
                    draft,
                    line,
                    "organisatie",
                    _("U heeft geen HRM-rol voor organisatie %(name)s.")
                    % {"name": organisation.name},
                )
            else:
                draft.organisation = organisation

        if kind := texts["dienstverband"]:
            normalised = kind.lower().replace(" ", "_")
            if normalised in EmploymentType.values:
                draft.employment_type = normalised
            else:
                self.error(
                    draft,
                    line,
                    "dienstverband",
                    _("Onbekend dienstverband '%(value)s'; kies in_dienst, inhuur of stagiair.")
                    % {"value": kind},
                )

        for column in ("datum_in_dienst", "datum_uit_dienst"):
            value = raw.values.get(column)
            if not texts[column]:
                continue
            try:
                parsed = parse_date(value)
            except ValueError:
                self.error(
                    draft,
                    line,
                    column,
                    _("Ongeldige datum '%(value)s'; gebruik JJJJ-MM-DD of DD-MM-JJJJ.")
                    % {"value": texts[column]},
                )
                continue
            if column == "datum_in_dienst":
                draft.start_date = parsed
            else:
                draft.end_date = parsed
        if draft.start_date and draft.end_date and draft.end_date < draft.start_date:
            self.error(
                draft,
                line,
                "datum_uit_dienst",
                _("De datum uit dienst ligt vóór de datum in dienst."),
            )
        return draft

    def _load_states(self, organisation_ids: set[int]) -> None:
        organisations = {d.organisation.pk: d.organisation for d in self.drafts if d.organisation}
        self.states = {pk: _OrgState(organisations[pk]) for pk in organisation_ids}
        if not self.states:
            return
        for employee in Employee.objects.filter(organisation_id__in=organisation_ids):
            state = self.states[employee.organisation_id]
            state.employees[employee.personnel_number] = employee
            state.employees_by_pk[employee.pk] = employee
        for unit in OrgUnit.objects.filter(organisation_id__in=organisation_ids):
            state = self.states[unit.organisation_id]
            state.units[unit.code] = unit
            state.units_by_pk[unit.pk] = unit
        for function in Function.objects.filter(organisation_id__in=organisation_ids):
            state = self.states[function.organisation_id]
            state.functions[function.code] = function
            state.functions_by_pk[function.pk] = function
        through = OrgUnit.managers.through
        for pk, unit_id, employee_id, organisation_id in through.objects.filter(
            orgunit__organisation_id__in=organisation_ids
        ).values_list("pk", "orgunit_id", "employee_id", "orgunit__organisation_id"):
            self.states[organisation_id].unit_heads.setdefault(unit_id, []).append(
                (pk, employee_id)
            )

    def _check_numbers(self) -> None:
        seen: dict[tuple[int, str], int] = {}
        for draft in self.drafts:
            if draft.organisation is None or not draft.number:
                continue
            key = (draft.organisation.pk, draft.number)
            if key in seen:
                self.error(
                    draft,
                    draft.line,
                    "personeelsnummer",
                    _("Personeelsnummer %(number)s komt ook voor in rij %(row)s.")
                    % {"number": draft.number, "row": seen[key]},
                )
            else:
                seen[key] = draft.line

    def _check_units_and_functions(self) -> None:
        for draft in self.drafts:
            if draft.organisation is None:
                continue
            state = self.states[draft.organisation.pk]
            if draft.unit_code and draft.unit_name:
                known = state.unit_defs.get(draft.unit_code)
                if known is None:
                    state.unit_defs[draft.unit_code] = (
                        draft.unit_name,
                        draft.parent_code,
                        draft.line,
                    )
                else:
                    name, parent, first = known
                    if name != draft.unit_name:
                        self.error(
                            draft,
                            draft.line,
                            "afdeling_naam",
                            _("Afdeling %(code)s heeft in rij %(row)s de naam '%(name)s'.")
                            % {"code": draft.unit_code, "row": first, "name": name},
                        )
                    if parent != draft.parent_code:
                        self.error(
                            draft,
                            draft.line,
                            "bovenliggende_afdeling",
                            _(
                                "Afdeling %(code)s heeft in rij %(row)s een andere "
                                "bovenliggende afdeling ('%(parent)s')."
                            )
                            % {"code": draft.unit_code, "row": first, "parent": parent},
                        )
            if draft.function_code and draft.function_name:
                known_function = state.function_defs.get(draft.function_code)
                if known_function is None:
                    state.function_defs[draft.function_code] = (draft.function_name, draft.line)
                elif known_function[0] != draft.function_name:
                    self.error(
                        draft,
                        draft.line,
                        "functie_naam",
                        _("Functie %(code)s heeft in rij %(row)s de naam '%(name)s'.")
                        % {
                            "code": draft.function_code,
                            "row": known_function[1],
                            "name": known_function[0],
                        },
                    )

    def _check_unit_parents(self) -> None:
        drafts_by_line = {d.line: d for d in self.drafts}
        for state in self.states.values():
            graph: dict[str, str | None] = {
                unit.code: (
                    db_parent.code
                    if (db_parent := state.units_by_pk.get(unit.parent_id or 0))
                    else None
                )
                for unit in state.units.values()
            }
            for code, (_name, parent, line) in state.unit_defs.items():
                graph[code] = parent or None
                if not parent:
                    continue
                draft = drafts_by_line[line]
                if parent == code:
                    self.error(
                        draft,
                        line,
                        "bovenliggende_afdeling",
                        _("Een afdeling kan niet haar eigen bovenliggende afdeling zijn."),
                    )
                elif parent not in state.unit_defs and parent not in state.units:
                    self.error(
                        draft,
                        line,
                        "bovenliggende_afdeling",
                        _("Onbekende bovenliggende afdeling '%(code)s'.") % {"code": parent},
                    )
            for cycle in _cycles(graph, state.unit_defs):
                if len(cycle) < 2:
                    continue  # reported above
                for code in cycle:
                    if code in state.unit_defs:
                        line = state.unit_defs[code][2]
                        self.error(
                            drafts_by_line[line],
                            line,
                            "bovenliggende_afdeling",
                            _("Kringverwijzing in de afdelingsstructuur: %(cycle)s.")
                            % {"cycle": _cycle_text(cycle)},
                        )

    def _check_managers(self) -> None:
        for organisation_id, state in self.states.items():
            drafts = [
                d
                for d in self.drafts
                if d.organisation is not None and d.organisation.pk == organisation_id and d.number
            ]
            in_file: dict[str, _Draft] = {}
            for draft in drafts:
                in_file.setdefault(draft.number, draft)
            graph: dict[str, str | None] = {
                employee.personnel_number: (
                    db_manager.personnel_number
                    if (db_manager := state.employees_by_pk.get(employee.manager_id or 0))
                    else None
                )
                for employee in state.employees.values()
            }
            for draft in in_file.values():
                graph[draft.number] = draft.manager_number or None
            for draft in drafts:
                manager = draft.manager_number
                if not manager:
                    continue
                if manager == draft.number:
                    self.error(
                        draft,
                        draft.line,
                        "leidinggevende",
                        _("Een medewerker kan niet zijn of haar eigen leidinggevende zijn."),
                    )
                elif manager not in in_file and manager not in state.employees:
                    self.error(
                        draft,
                        draft.line,
                        "leidinggevende",
                        _(
                            "Leidinggevende %(number)s komt niet voor in het bestand en is "
                            "niet bekend bij %(organisation)s."
                        )
                        % {"number": manager, "organisation": state.organisation.name},
                    )
            for cycle in _cycles(graph, in_file):
                if len(cycle) < 2:
                    continue  # self-manager, reported above
                for number in cycle:
                    if number in in_file:
                        draft = in_file[number]
                        self.error(
                            draft,
                            draft.line,
                            "leidinggevende",
                            _("Kringverwijzing bij leidinggevenden: %(cycle)s.")
                            % {"cycle": _cycle_text(cycle)},
                        )

    @staticmethod
    def _freeze(draft: _Draft) -> _Row:
        if draft.organisation is None or draft.employment_type is None or not draft.start_date:
            raise ValueError("incomplete row")  # unreachable: has_errors would be set
        return _Row(
            line=draft.line,
            organisation=draft.organisation,
            number=draft.number,
            first_name=draft.first_name,
            last_name=draft.last_name,
            email=draft.email,
            unit_code=draft.unit_code,
            unit_name=draft.unit_name,
            parent_code=draft.parent_code,
            function_code=draft.function_code,
            function_name=draft.function_name,
            employment_type=draft.employment_type,
            start_date=draft.start_date,
            end_date=draft.end_date,
            manager_number=draft.manager_number,
        )

    # -- planning and writing ------------------------------------------------------

    def plan(self) -> HrImportResult:
        """Work out what would change, creating unsaved objects for what is new."""
        result = HrImportResult()
        self.new_units: list[OrgUnit] = []
        self.new_functions: list[Function] = []
        self.unit_targets: list[tuple[OrgUnit, str, str, _OrgState]] = []
        self.function_targets: list[tuple[Function, str]] = []
        self.employee_creates: list[tuple[Employee, _Row, _OrgState]] = []
        self.employee_updates: list[tuple[Employee, _Row, _OrgState, tuple[str, ...]]] = []
        self.head_changes: list[tuple[OrgUnit, list[Employee], list[int]]] = []

        for state in self.states.values():
            organisation = state.organisation
            for code, (name, _parent, _line) in state.unit_defs.items():
                if code not in state.units:
                    unit = OrgUnit(organisation=organisation, code=code, name=name)
                    state.units[code] = unit
                    self.new_units.append(unit)
                    result.units_created += 1
            for code, (name, parent, _line) in state.unit_defs.items():
                unit = state.units[code]
                self.unit_targets.append((unit, name, parent, state))
                current_parent = (
                    state.units_by_pk.get(unit.parent_id) if unit.parent_id is not None else None
                )
                wanted_parent = state.units[parent] if parent else None
                if unit.pk is not None and (
                    unit.name != name or current_parent is not wanted_parent
                ):
                    result.units_updated += 1

            for code, (name, _line) in state.function_defs.items():
                function = state.functions.get(code)
                if function is None:
                    function = Function(organisation=organisation, code=code, name=name)
                    state.functions[code] = function
                    self.new_functions.append(function)
                    result.functions_created += 1
                elif function.name != name:
                    result.functions_updated += 1
                self.function_targets.append((function, name))

            existing = [(state.employees.get(row.number), row) for row in state.rows]
            for row in state.rows:
                if row.number not in state.employees:
                    employee = Employee(organisation=organisation, personnel_number=row.number)
                    state.employees[row.number] = employee
                    result.created += 1
            for found, row in existing:
                if found is None:
                    self.employee_creates.append((state.employees[row.number], row, state))
                elif changes := self._employee_changes(found, row, state):
                    result.updated += 1
                    self.employee_updates.append((found, row, state, changes))
                else:
                    result.unchanged += 1

            result.unit_managers_changed += self._plan_unit_heads(state)
        return result

    @staticmethod
    def _employee_changes(employee: Employee, row: _Row, state: _OrgState) -> tuple[str, ...]:
        """The fields whose value in the file differs from the database.

        Related objects are compared by identity: the dicts of the state hold one instance
        per unit, function and employee, new (unsaved) ones included.
        """
        wanted_manager = state.employees[row.manager_number] if row.manager_number else None
        comparisons = (
            ("first_name", employee.first_name == row.first_name),
            ("last_name", employee.last_name == row.last_name),
            ("email", employee.email == row.email),
            ("employment_type", employee.employment_type == row.employment_type),
            ("start_date", employee.start_date == row.start_date),
            ("end_date", employee.end_date == row.end_date),
            (
                "org_unit",
                state.units_by_pk.get(employee.org_unit_id or 0) is state.units[row.unit_code],
            ),
            (
                "function",
                state.functions_by_pk.get(employee.function_id or 0)
                is state.functions[row.function_code],
            ),
            ("manager", state.employees_by_pk.get(employee.manager_id or 0) is wanted_manager),
        )
        return tuple(name for name, same in comparisons if not same)

    def _plan_unit_heads(self, state: _OrgState) -> int:
        """Derive OrgUnit.managers for the units in the file (see the module docstring)."""
        # Effective state after the import: number -> (unit, manager number, current).
        effective: dict[str, tuple[OrgUnit | None, str, bool]] = {}
        for number, employee in state.employees.items():
            if employee.pk is None:
                continue
            manager = state.employees_by_pk.get(employee.manager_id or 0)
            effective[number] = (
                state.units_by_pk.get(employee.org_unit_id or 0),
                manager.personnel_number if manager is not None else "",
                employee.end_date is None or employee.end_date >= self.today,
            )
        for row in state.rows:
            effective[row.number] = (
                state.units[row.unit_code],
                row.manager_number,
                row.is_current(self.today),
            )
        heads: dict[str, set[str]] = {code: set() for code in state.unit_defs}
        for number, (unit, manager_number, current) in effective.items():
            if unit is None or not current or not manager_number or manager_number == number:
                continue
            if unit.code not in heads:
                continue
            manager_unit, _m, manager_current = effective.get(manager_number, (None, "", False))
            if manager_unit is unit and manager_current:
                heads[unit.code].add(manager_number)
        changes = 0
        for code, wanted in sorted(heads.items()):
            unit = state.units[code]
            current_heads = {
                employee_id: through_pk
                for through_pk, employee_id in state.unit_heads.get(unit.pk or 0, [])
            }
            current_numbers = {
                state.employees_by_pk[employee_id].personnel_number
                for employee_id in current_heads
                if employee_id in state.employees_by_pk
            }
            to_add = [state.employees[n] for n in sorted(wanted - current_numbers)]
            to_remove = [
                through_pk
                for employee_id, through_pk in current_heads.items()
                if employee_id not in state.employees_by_pk
                or state.employees_by_pk[employee_id].personnel_number not in wanted
            ]
            if to_add or to_remove:
                self.head_changes.append((unit, to_add, to_remove))
                changes += len(to_add) + len(to_remove)
        return changes

    def apply(self) -> None:
        now = timezone.now()
        OrgUnit.objects.bulk_create(self.new_units, batch_size=BATCH_SIZE)
        changed_units = []
        for unit, name, parent_code, state in self.unit_targets:
            parent = state.units.get(parent_code) if parent_code else None
            parent_id = parent.pk if parent is not None else None
            if unit.name != name or unit.parent_id != parent_id:
                unit.name = name
                unit.parent_id = parent_id
                unit.updated_at = now
                changed_units.append(unit)
        OrgUnit.objects.bulk_update(
            changed_units, ["name", "parent", "updated_at"], batch_size=BATCH_SIZE
        )

        Function.objects.bulk_create(self.new_functions, batch_size=BATCH_SIZE)
        changed_functions = []
        for function, name in self.function_targets:
            if function.name != name:
                function.name = name
                function.updated_at = now
                changed_functions.append(function)
        Function.objects.bulk_update(
            changed_functions, ["name", "updated_at"], batch_size=BATCH_SIZE
        )

        # New employees are created level by level down the manager tree (validated to
        # be free of cycles), so each one's manager exists before they do. Below
        # MANAGER_LEVELS (an unusually deep hierarchy) the rest is created at once and
        # gets its managers afterwards, which bounds the number of queries.
        levels = self._creation_levels()
        deep = [target for level in levels[MANAGER_LEVELS:] for target in level]
        for level in [*levels[:MANAGER_LEVELS], deep]:
            for employee, row, state in level:
                self._assign(employee, row, state)
            Employee.objects.bulk_create([e for e, _r, _s in level], batch_size=BATCH_SIZE)
        for employee, row, state in deep:
            self._assign(employee, row, state)
        Employee.objects.bulk_update([e for e, _r, _s in deep], ["manager"], batch_size=BATCH_SIZE)
        # Existing employees: only the fields that changed, grouped by which fields those
        # are (bulk_update builds a CASE per field and row, so fewer fields is faster).
        groups: dict[tuple[str, ...], list[Employee]] = {}
        for employee, row, state, changes in self.employee_updates:
            self._assign(employee, row, state)
            groups.setdefault(changes, []).append(employee)
        for fields, employees in groups.items():
            Employee.objects.bulk_update(employees, list(fields), batch_size=BATCH_SIZE)
        self._send_events(levels)
        updated = [employee.pk for employee, _row, _state, _changes in self.employee_updates]
        for start in range(0, len(updated), BATCH_SIZE):
            Employee.objects.filter(pk__in=updated[start : start + BATCH_SIZE]).update(
                updated_at=now
            )

        through = OrgUnit.managers.through
        through.objects.bulk_create(
            [
                through(orgunit_id=unit.pk, employee_id=employee.pk)
                for unit, to_add, _remove in self.head_changes
                for employee in to_add
            ],
            batch_size=BATCH_SIZE,
        )
        removed = [pk for _unit, _add, to_remove in self.head_changes for pk in to_remove]
        for start in range(0, len(removed), BATCH_SIZE):
            through.objects.filter(pk__in=removed[start : start + BATCH_SIZE]).delete()

    def _send_events(self, levels: list[list[tuple[Employee, _Row, _OrgState]]]) -> None:
        """Tell the subscribed apps, in this transaction, who started, left or moved."""
        started = [employee.pk for level in levels for employee, _row, _state in level]
        left = [e.pk for e, _r, _s, changes in self.employee_updates if "end_date" in changes]
        left += [e.pk for e, row, _s in self.employee_creates if row.end_date is not None]
        moved = [e.pk for e, _r, _s, changes in self.employee_updates if "function" in changes]
        for signal, ids in (
            (events.employee_started, started),
            (events.employee_left, left),
            (events.function_changed, moved),
        ):
            if ids:
                signal.send(sender=Employee, employee_ids=sorted(ids))

    def _creation_levels(self) -> list[list[tuple[Employee, _Row, _OrgState]]]:
        """New employees grouped by their distance to a manager who exists already."""
        new = {id(e): (e, row, state) for e, row, state in self.employee_creates}
        depth: dict[int, int] = {}
        for key in new:
            chain: list[int] = []
            on_chain: set[int] = set()
            step: int | None = key
            while step is not None and step not in depth:
                if step in on_chain:
                    raise ValueError("manager cycle")  # unreachable: validated before
                chain.append(step)
                on_chain.add(step)
                _employee, row, state = new[step]
                manager = state.employees[row.manager_number] if row.manager_number else None
                step = id(manager) if manager is not None and id(manager) in new else None
            base = depth[step] if step is not None else -1
            for offset, member in enumerate(reversed(chain), 1):
                depth[member] = base + offset
        levels: dict[int, list[tuple[Employee, _Row, _OrgState]]] = {}
        for key, target in new.items():
            levels.setdefault(depth[key], []).append(target)
        return [levels[d] for d in sorted(levels)]

    @staticmethod
    def _assign(employee: Employee, row: _Row, state: _OrgState) -> None:
        employee.first_name = row.first_name
        employee.last_name = row.last_name
        employee.email = row.email
        employee.employment_type = row.employment_type
        employee.start_date = row.start_date
        employee.end_date = row.end_date
        employee.org_unit_id = state.units[row.unit_code].pk
        employee.function_id = state.functions[row.function_code].pk
        manager = state.employees[row.manager_number] if row.manager_number else None
        employee.manager_id = manager.pk if manager is not None else None

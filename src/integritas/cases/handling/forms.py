"""Forms of the case handlers' pages; validation messages in Dutch.

Every action form on the case page has its own prefix, so the page can carry all of them
at once with unique ids, and a form shown again after an error keeps what was typed.
"""

import secrets
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from integritas.accounts.models import User
from integritas.cases.clock import conditions
from integritas.cases.constants import (
    Category,
    Channel,
    DisclosureGround,
    DisclosureRecipient,
    Finding,
    IdentityMode,
    Kind,
    Measure,
    ReferralBody,
    ReporterRelation,
    Status,
)
from integritas.cases.models import Case, InvolvedPerson, Referral
from integritas.core.forms import KeptHtmlForm
from integritas.organisations.models import Employee, Organisation

from . import selectors, waiting
from .widgets import DateInput, blank, textarea

# --- inbox --------------------------------------------------------------------------


class InboxFilterForm(KeptHtmlForm):
    """The inbox's filter bar, through the one form renderer. Every filter is optional by
    nature, so no "(niet verplicht)" per field. Its HTML, the same for every request with
    the same filters and organisations, is kept a minute (benchmarks/cases.py)."""

    mark_optional = False
    DEADLINE_CHOICES = [
        ("", _("Alle meldingen")),
        (conditions.DEADLINE_OPEN, _("Alleen open meldingen")),
        (conditions.DEADLINE_ACK_OVERDUE, _("Ontvangstbevestiging te laat")),
        (conditions.DEADLINE_ACK_SOON, _("Ontvangstbevestiging binnenkort")),
        (conditions.DEADLINE_FEEDBACK_OVERDUE, _("Terugkoppeling te laat")),
        (conditions.DEADLINE_FEEDBACK_SOON, _("Terugkoppeling binnenkort")),
        (conditions.DEADLINE_FEEDBACK_WEEK, _("Terugkoppeling binnen 7 dagen")),
    ]
    WAITING_CHOICES = [
        ("", _("Alle meldingen")),
        (waiting.WAITING_REPLY, _("Reactie van melder wacht op antwoord")),
        (waiting.WAITING_AANGIFTE, _("Besluit over aangifte nodig")),
    ]

    organisation = forms.ChoiceField(label=_("Organisatie"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=blank(list(Status.choices))
    )
    kind = forms.ChoiceField(
        label=_("Soort melding"),
        required=False,
        choices=blank(list(Kind.choices)),
    )
    category = forms.ChoiceField(
        label=_("Categorie"),
        required=False,
        choices=blank(list(Category.choices)),
    )
    deadline = forms.ChoiceField(label=_("Termijn"), required=False, choices=DEADLINE_CHOICES)
    waiting = forms.ChoiceField(label=_("Wacht op"), required=False, choices=WAITING_CHOICES)

    def __init__(
        self,
        *args: Any,
        organisations: list[Organisation] | None,
        allowed: QuerySet[Organisation] | None = None,
        **kwargs: Any,
    ) -> None:
        """`organisations`: the choices of the organisation filter, or None for a region
        too large for a <select> (organisations_for_select): the organisation is then
        typed, by name or code, and looked up among `allowed`."""
        super().__init__(*args, **kwargs)
        self.allowed = allowed
        if organisations is None:
            self.fields["organisation"] = forms.CharField(
                label=_("Organisatie (naam of code)"), required=False, max_length=200
            )
            return
        self.fields["organisation"].choices = blank(  # type: ignore[attr-defined]
            [(org.slug, org.name) for org in organisations]
        )

    def clean_organisation(self) -> str:
        """The organisation's slug; a typed name or code must be one the user may filter on."""
        value = self.cleaned_data["organisation"]
        field = self.fields["organisation"]
        if not value or isinstance(field, forms.ChoiceField) or self.allowed is None:
            return value
        text = value.strip()
        slug = (
            self.allowed.filter(Q(slug=text.lower()) | Q(name__iexact=text))
            .values_list("slug", flat=True)
            .first()
        )
        if slug is None:
            raise ValidationError(_("Geen organisatie met deze naam of code bij uw meldingen."))
        return slug

    def html_key(self) -> str | None:
        field = self.fields["organisation"]
        data = [self.data.get(self.add_prefix(name)) for name in self.fields]
        if not isinstance(field, forms.ChoiceField):
            # Typed: the same HTML for everyone, unless a typed name may carry an error.
            return None if self.is_bound else repr(("typed", data))
        choices: list[tuple[Any, Any]] = list(field.choices)  # type: ignore[arg-type]
        return repr(([(value, str(label)) for value, label in choices], self.is_bound, data))


# --- actions on the case page -------------------------------------------------------


class CaseActionForm(KeptHtmlForm):
    """An action on one case; `case` is the case it acts on."""

    prefix_name = ""
    # True when the empty form takes nothing from the case (no initial values, no choices):
    # the case page then shows HTML kept a minute instead of rendering it every time.
    same_for_every_case = False

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.prefix_name)
        super().__init__(*args, **kwargs)
        self.case = case

    def html_key(self) -> str | None:
        return self.prefix if self.same_for_every_case and not self.is_bound else None

    @classmethod
    def opened(cls, *, case: Case, params: Any) -> "CaseActionForm":
        """The form as a GET on the action's URL opens it; `params` is the query string."""
        return cls(case=case)


class DecisionForm(CaseActionForm):
    prefix_name = "decision"
    finding = forms.ChoiceField(
        label=_("Bevinding"), choices=Finding.choices, widget=forms.RadioSelect
    )
    measures = forms.MultipleChoiceField(
        label=_("Maatregelen"),
        choices=Measure.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Geen keuze betekent: geen maatregel."),
    )
    note = forms.CharField(
        label=_("Toelichting (intern)"), required=False, max_length=20000, widget=textarea()
    )


class AssessmentForm(CaseActionForm):
    """The coordinator's classification, independent of the reporter's own kind."""

    prefix_name = "assess"
    category = forms.ChoiceField(
        label=_("Categorie"),
        required=False,
        choices=blank(list(Category.choices), _("Nog niet bepaald")),
    )
    is_wbk_wrongdoing = forms.BooleanField(
        label=_("Misstand in de zin van de Wet bescherming klokkenluiders"), required=False
    )
    is_eu_law_breach = forms.BooleanField(label=_("Inbreuk op Unierecht"), required=False)
    is_possible_offence = forms.BooleanField(
        label=_("Mogelijk strafbaar feit (besluit over aangifte nodig, art. 162 Sv)"),
        required=False,
    )
    concerns_political_office_holder = forms.BooleanField(
        label=_("Betreft een politiek ambtsdrager (doorverwijzen)"), required=False
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "category": case.category,
                "is_wbk_wrongdoing": case.is_wbk_wrongdoing,
                "is_eu_law_breach": case.is_eu_law_breach,
                "is_possible_offence": case.is_possible_offence,
                "concerns_political_office_holder": case.concerns_political_office_holder,
            },
        )
        super().__init__(*args, case=case, **kwargs)


class MessageForm(CaseActionForm):
    prefix_name = "message"
    same_for_every_case = True
    body = forms.CharField(label=_("Bericht aan de melder"), max_length=20000, widget=textarea(6))
    is_feedback = forms.BooleanField(
        label=_("Dit is de terugkoppeling over de beoordeling en de opvolging"),
        required=False,
        help_text=_("De wet vraagt terugkoppeling binnen drie maanden na de ontvangstbevestiging."),
    )
    needs_approval = forms.BooleanField(
        label=_("Dit is een (gecorrigeerd) verslag ter goedkeuring"),
        required=False,
        help_text=_("De melder kan het verslag in het postvak controleren en goedkeuren."),
    )


class NoteForm(CaseActionForm):
    prefix_name = "note"
    same_for_every_case = True
    body = forms.CharField(
        label=_("Interne notitie (niet zichtbaar voor de melder)"),
        max_length=20000,
        widget=textarea(),
    )


class AssignForm(CaseActionForm):
    prefix_name = "assign"
    investigator = forms.ModelChoiceField(label=_("Onderzoeker"), queryset=User.objects.none())

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        # Never someone the case names as involved (R-WBK-7).
        self.fields["investigator"].queryset = selectors.investigators_for_case(case)  # type: ignore[attr-defined]


class InvolvedSearchForm(forms.Form):
    """The search that finds the employee to link (GET: it works without JavaScript)."""

    prefix = "involved_search"
    query = forms.CharField(
        label=_("Zoek een medewerker op naam of personeelsnummer"),
        max_length=100,
        help_text=_("Alleen medewerkers van de organisatie van deze melding."),
    )


class InvolvedForm(CaseActionForm):
    """Link an employee of the case's organisation as involved: chosen from the results
    of a search by name or personnel number (`query`, kept in the form so that a form shown
    again after an error offers the same choice). Stored as a blind index; who it is only
    sealed under the case's key."""

    prefix_name = "involved"
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    employee = forms.ModelChoiceField(
        label=_("Medewerker"),
        queryset=Employee.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Kies de betrokken medewerker uit de zoekresultaten."),
            "invalid_choice": _(
                "Kies een medewerker van de organisatie van deze melding uit de zoekresultaten."
            ),
        },
    )
    description = forms.CharField(
        label=_("Omschrijving van de betrokkenheid"), max_length=5000, widget=textarea(3)
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        raw = self.data.get(self.add_prefix("query")) if self.is_bound else None
        if raw is None:
            raw = self.initial.get("query", "")
        self.search_query = str(raw).strip()[:100]
        self.search_form = InvolvedSearchForm(initial={"query": self.search_query})
        self.search = selectors.involved_search(case, self.search_query)
        field = self.fields["employee"]
        field.queryset = selectors.involved_employees(case)  # type: ignore[attr-defined]
        # Only the hits are offered; any employee of the organisation is valid.
        field.widget.choices = [(hit.pk, _hit_label(hit)) for hit in self.search.hits]

    @classmethod
    def opened(cls, *, case: Case, params: Any) -> "CaseActionForm":
        query = str(params.get(InvolvedSearchForm.prefix + "-query", ""))
        return cls(case=case, initial={"query": query.strip()[:100]})


def _hit_label(hit: selectors.EmployeeHit) -> str:
    """One choice, as text: name and personnel number, function, department, and whether
    they left or are linked already."""
    parts = [f"{hit.name} ({hit.personnel_number})", hit.function, hit.unit]
    if hit.former:
        parts.append(str(_("uit dienst")))
    if hit.linked:
        parts.append(str(_("al gekoppeld")))
    return ", ".join(part for part in parts if part)


class UnlinkInvolvedForm(CaseActionForm):
    """Undo the link of an employee named as involved (one of the case's linked rows)."""

    prefix_name = "unlink"
    person = forms.ModelChoiceField(
        queryset=InvolvedPerson.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Kies de koppeling die ongedaan moet worden."),
            "invalid_choice": _("Deze koppeling bestaat niet meer."),
        },
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        self.fields["person"].queryset = case.involved.exclude(blind_index="")  # type: ignore[attr-defined]


class AangifteForm(CaseActionForm):
    """R-EXT-3: the decision on aangifte, its date and the police reference."""

    prefix_name = "aangifte"
    decision = forms.TypedChoiceField(
        label=_("Besluit over aangifte"),
        choices=[("yes", _("Aangifte gedaan")), ("no", _("Geen aangifte"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    aangifte_date = forms.DateField(
        label=_("Datum van de aangifte"), required=False, widget=DateInput()
    )
    police_reference = forms.CharField(
        label=_("Kenmerk van de politie"), required=False, max_length=64
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        initial: dict[str, Any] = {
            "aangifte_date": case.aangifte_date,
            "police_reference": case.police_reference,
        }
        if case.aangifte_decision is not None:
            initial["decision"] = "yes" if case.aangifte_decision else "no"
        kwargs.setdefault("initial", initial)
        super().__init__(*args, case=case, **kwargs)


class LegalHoldForm(CaseActionForm):
    """R-DP-2: a legal hold keeps the case from `purge_expired` while a procedure runs."""

    prefix_name = "legal_hold"
    hold = forms.TypedChoiceField(
        label=_("Bewaarplicht (legal hold)"),
        choices=[
            ("on", _("Aan: niet verwijderen, ook niet na de bewaartermijn")),
            ("off", _("Uit: verwijderen zodra de bewaartermijn voorbij is")),
        ],
        coerce=lambda value: value == "on",
        widget=forms.RadioSelect,
        help_text=_(
            "Zet de bewaarplicht aan zolang een rechtszaak, klacht, bezwaar of verzoek om "
            "de gegevens loopt, en weer uit als die is afgerond."
        ),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"hold": "on" if case.legal_hold else "off"})
        super().__init__(*args, case=case, **kwargs)


class ReferralForm(CaseActionForm):
    """R-EXT-1, R-EXT-2: a referral to an external body."""

    prefix_name = "referral"
    body = forms.ChoiceField(label=_("Instantie"), choices=ReferralBody.choices)
    referred_on = forms.DateField(label=_("Datum"), widget=DateInput())
    notes = forms.CharField(
        label=_("Toelichting (advies, besluit werkgever)"),
        required=False,
        max_length=10000,
        widget=textarea(3),
    )


class ReferralChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Referral) -> str:
        return f"{obj.get_body_display()} ({obj.referred_on:%d-%m-%Y})"


class ReferralOutcomeForm(CaseActionForm):
    """R-EXT-1: the advice that came back and the employer's decision on it."""

    prefix_name = "referral_outcome"
    referral = ReferralChoiceField(
        label=_("Doorverwijzing"),
        queryset=Referral.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Kies een doorverwijzing van deze melding.")},
    )
    advice_on = forms.DateField(label=_("Datum van het advies"), required=False, widget=DateInput())
    advice = forms.CharField(
        label=_("Advies (bijvoorbeeld van de LKOG)"),
        required=False,
        max_length=20000,
        widget=textarea(3),
    )
    employer_decision_on = forms.DateField(
        label=_("Datum van het besluit van de werkgever"), required=False, widget=DateInput()
    )
    employer_decision = forms.CharField(
        label=_("Besluit van de werkgever op het advies"),
        required=False,
        max_length=20000,
        widget=textarea(3),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        self.fields["referral"].queryset = case.referrals.order_by("referred_on", "pk")  # type: ignore[attr-defined]


class ProtectionForm(CaseActionForm):
    """R-WBK-12: a measure concerning the reporter, with its stated reason."""

    prefix_name = "protection"
    occurred_on = forms.DateField(label=_("Datum van de maatregel"), widget=DateInput())
    measure = forms.CharField(label=_("Maatregel"), max_length=5000, widget=textarea(2))
    reason = forms.CharField(label=_("Reden"), max_length=5000, widget=textarea(2))


class RevealForm(CaseActionForm):
    prefix_name = "reveal"
    reason = forms.CharField(
        label=_("Reden om de identiteit in te zien"),
        max_length=1000,
        widget=textarea(2),
        help_text=_("Het inzien wordt met deze reden vastgelegd in het dossier en het auditlog."),
    )


class DisclosureForm(CaseActionForm):
    """R-WBK-7: sharing the reporter's identity, on consent or a legal duty."""

    prefix_name = "disclose"
    recipient_kind = forms.ChoiceField(
        label=_("Met wie wordt de identiteit gedeeld?"),
        choices=DisclosureRecipient.choices,
        widget=forms.RadioSelect,
    )
    recipient = forms.CharField(
        label=_("Naam of functie van de ontvanger"),
        max_length=500,
        help_text=_("Bijvoorbeeld de naam van de onderzoeker of de instantie."),
    )
    ground = forms.ChoiceField(
        label=_("Grond"), choices=DisclosureGround.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Reden"), max_length=5000, widget=textarea(2))
    notice_to_reporter = forms.CharField(
        label=_("Bericht aan de melder, met de redenen"),
        required=False,
        max_length=20000,
        widget=textarea(4),
        help_text=_(
            "Verplicht bij een wettelijke plicht: de melder krijgt dit bericht in het postvak "
            "voordat de identiteit wordt gedeeld."
        ),
    )


# --- recording a report received through another channel ---------------------------


class RecordForm(forms.Form):
    """R-WBK-2, R-WBK-8: the coordinator (phone, e-mail, in person) or a manager (orally)."""

    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.none()
    )
    channel = forms.ChoiceField(label=_("Hoe kwam de melding binnen?"))
    kind = forms.ChoiceField(label=_("Soort melding"), choices=Kind.choices)
    category = forms.ChoiceField(
        label=_("Categorie"),
        required=False,
        choices=blank(list(Category.choices), _("Nog niet bepaald")),
    )
    reporter_relation = forms.ChoiceField(
        label=_("Relatie van de melder tot de organisatie"),
        required=False,
        choices=blank(list(ReporterRelation.choices), _("Onbekend")),
    )
    description = forms.CharField(
        label=_("Wat heeft de melder verteld?"), max_length=50000, widget=textarea(8)
    )
    when = forms.CharField(label=_("Wanneer gebeurde het?"), required=False, max_length=500)
    where = forms.CharField(label=_("Waar gebeurde het?"), required=False, max_length=500)
    identity_mode = forms.ChoiceField(
        label=_("Hoe wil de melder melden?"),
        choices=IdentityMode.choices,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Naam van de melder"), required=False, max_length=250)
    phone = forms.CharField(label=_("Telefoonnummer van de melder"), required=False, max_length=50)
    email = forms.EmailField(label=_("E-mailadres van de melder"), required=False)
    consent_investigators = forms.BooleanField(
        label=_("De melder geeft toestemming de naam te delen met onderzoekers"), required=False
    )
    consent_secretary = forms.BooleanField(
        label=_("De melder geeft toestemming de naam te delen met de gemeentesecretaris"),
        required=False,
    )
    minutes = forms.CharField(
        label=_("Verslag van het gesprek, telefoontje of de e-mail"),
        required=False,
        max_length=50000,
        widget=textarea(8),
        help_text=_(
            "Het verslag wordt de eerste interne notitie en komt als bericht in het postvak "
            "van de melder, die het kan controleren, verbeteren en goedkeuren."
        ),
    )
    form_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        organisations: list[Organisation],
        as_coordinator: bool,
        as_manager: bool,
        chosen: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"form_token": secrets.token_urlsafe(24)})
        super().__init__(*args, **kwargs)
        organisation_field = self.fields["organisation"]
        organisation_field.queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[org.pk for org in organisations]
        ).order_by("name")
        if len(organisations) == 1:
            organisation_field.initial = organisations[0].pk
        if chosen:
            # Chosen on the page before (a regional coordinator of many organisations): a
            # hidden field, not a <select> of every organisation (docs/performance.md).
            organisation_field.widget = forms.HiddenInput()
        channels: list[Channel] = []
        if as_coordinator:
            channels += [Channel.PHONE, Channel.EMAIL, Channel.IN_PERSON]
        else:
            del self.fields["minutes"]
        if as_manager:
            channels.append(Channel.MANAGER)
        self.fields["channel"].choices = [  # type: ignore[attr-defined]
            (c.value, c.label) for c in channels
        ]
        if len(channels) == 1:
            self.fields["channel"].initial = channels[0].value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mode = data.get("identity_mode")
        if mode and mode != IdentityMode.ANONYMOUS and not data.get("name", "").strip():
            self.add_error("name", _("Vul de naam van de melder in."))
        return data

    def submit_arguments(self) -> dict[str, Any]:
        """Keyword arguments for channels.case_record_report."""
        data = self.cleaned_data
        anonymous = data["identity_mode"] == IdentityMode.ANONYMOUS
        identity = (
            None
            if anonymous
            else {k: v for k in ("name", "email", "phone") if (v := data.get(k, "").strip())}
        )
        details = {k: v for k in ("when", "where") if (v := data.get(k, "").strip())}
        return {
            "organisation": data["organisation"],
            "channel": data["channel"],
            "kind": data["kind"],
            "category": data.get("category", ""),
            "reporter_relation": data.get("reporter_relation", ""),
            "description": data["description"],
            "details": details,
            "identity_mode": data["identity_mode"],
            "identity": identity,
            "consent_investigators": not anonymous and data["consent_investigators"],
            "consent_secretary": not anonymous and data["consent_secretary"],
            "minutes": data.get("minutes", ""),
        }

"""Request and response shapes of the public Meldpunt API (documented in the OpenAPI schema).

Validation only: the writes happen in `integritas.cases.services`. Error messages are Dutch
(ours through gettext, DRF's own from its Dutch catalogue).
"""

import hashlib
import json
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from integritas.cases.constants import (
    STATUS_FOR_REPORTER,
    Category,
    IdentityMode,
    Kind,
    MessageDirection,
    ReporterRelation,
    Status,
    SubstituteRole,
)
from integritas.cases.services import receipt_code_normalise
from integritas.organisations.selectors import organisation_get_by_slug

DESCRIPTION_MAX = 20_000
SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 2_000
INVOLVED_MAX_ITEMS = 20
INVOLVED_ITEM_MAX = 1_000
IDEMPOTENCY_KEY_MIN = 16
IDEMPOTENCY_KEY_MAX = 200

# DRF's Dutch catalogue lacks these few messages; ours are Dutch through gettext.
NOT_TEXT = _("Vul hier tekst in.")
NOT_BOOLEAN = _("Vul true of false in.")


class StrictStringMixin:
    """A JSON string only: DRF would turn a number into text ("0"), the schema says string."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            raise serializers.ValidationError(NOT_TEXT, code="invalid")
        return super().to_internal_value(data)  # type: ignore[misc]


class TextField(StrictStringMixin, serializers.CharField):
    default_error_messages = {"invalid": NOT_TEXT}


class StrictEmailField(StrictStringMixin, serializers.EmailField):
    pass


class StrictSlugField(StrictStringMixin, serializers.SlugField):
    pass


class StrictRegexField(StrictStringMixin, serializers.RegexField):
    pass


class StrictChoiceField(serializers.ChoiceField):
    """A JSON string from the list: the number 1 is not the category "1"."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false only: a consent is never inferred from "ja", "1" or "on"."""

    default_error_messages = {"invalid": NOT_BOOLEAN}

    def to_internal_value(self, data: Any) -> bool:
        if isinstance(data, bool):
            return data
        raise serializers.ValidationError(self.error_messages["invalid"], code="invalid")


def _boolean() -> StrictBooleanField:
    return StrictBooleanField(required=False, default=False)


class IdentitySerializer(serializers.Serializer):
    """Who the reporter is; kept in the identity vault (dropped when anonymous)."""

    name = TextField(max_length=200, required=False, allow_blank=True)
    email = StrictEmailField(max_length=254, required=False, allow_blank=True)
    phone = TextField(max_length=40, required=False, allow_blank=True)


class ReportSerializer(serializers.Serializer):
    """A report. `organisation`, `kind`, `description` and `identity_mode` are enough."""

    organisation = StrictSlugField(
        max_length=50, help_text=_("De code (slug) van de organisatie, bijvoorbeeld 'leiderdorp'.")
    )
    kind = StrictChoiceField(
        choices=Kind.choices, help_text=_("Soort melding, in de woorden van de melder.")
    )
    description = TextField(
        max_length=DESCRIPTION_MAX,
        help_text=_("Wat er is gebeurd."),
        error_messages={
            "blank": _("Beschrijf wat er is gebeurd."),
            "required": _("Beschrijf wat er is gebeurd."),
        },
    )
    identity_mode = StrictChoiceField(
        choices=IdentityMode.choices,
        help_text=_("Met naam, vertrouwelijk of anoniem (als de organisatie dat toestaat)."),
    )
    category = StrictChoiceField(choices=Category.choices, required=False, allow_blank=True)
    reporter_relation = StrictChoiceField(
        choices=ReporterRelation.choices, required=False, allow_blank=True
    )
    when = TextField(
        max_length=SHORT_TEXT_MAX, required=False, allow_blank=True, help_text=_("Wanneer.")
    )
    where = TextField(
        max_length=SHORT_TEXT_MAX, required=False, allow_blank=True, help_text=_("Waar.")
    )
    involved = serializers.ListField(
        child=TextField(max_length=INVOLVED_ITEM_MAX, allow_blank=True),
        max_length=INVOLVED_MAX_ITEMS,
        required=False,
        error_messages={"max_length": _("Noem ten hoogste {max_length} personen.")},
        help_text=_("Wie erbij betrokken zijn, één persoon per regel."),
    )
    others_aware = TextField(
        max_length=LONG_TEXT_MAX,
        required=False,
        allow_blank=True,
        help_text=_("Wie er verder van weet."),
    )
    concerns_role = StrictChoiceField(
        choices=SubstituteRole.choices,
        required=False,
        allow_blank=True,
        help_text=_(
            "De melding gaat over een behandelaar: dan krijgt de aangewezen vervanger haar, "
            "en ziet de betrokkene haar niet."
        ),
    )
    identity = IdentitySerializer(required=False, allow_null=True)
    notify_email = StrictEmailField(
        max_length=254,
        required=False,
        allow_blank=True,
        help_text=_("Alleen voor het bericht 'er is nieuws in uw melding', zonder inhoud."),
    )
    consent_investigators = _boolean()
    consent_secretary = _boolean()
    altcha = StrictRegexField(
        r"^[A-Za-z0-9+/=]+$",
        max_length=8000,
        required=False,
        allow_blank=True,
        help_text=_(
            "Alleen nodig als deze afzender dit uur al veel meldingen stuurde: een opgeloste "
            "altcha-uitdaging (proof of work). Zonder komt de melding ook aan, maar eerst in "
            "de wachtrij die de integriteitscoördinator bekijkt."
        ),
        error_messages={"invalid": _("Dit is geen geldige oplossing.")},
    )
    idempotency_key = StrictRegexField(
        r"^[A-Za-z0-9._:-]+$",
        min_length=IDEMPOTENCY_KEY_MIN,
        max_length=IDEMPOTENCY_KEY_MAX,
        required=False,
        help_text=_(
            "Een willekeurige sleutel per melding (bijvoorbeeld een UUID). Wie dezelfde melding "
            "met dezelfde sleutel opnieuw verstuurt, krijgt hetzelfde zaaknummer terug en er "
            "ontstaat geen tweede melding."
        ),
        error_messages={
            "invalid": _("Gebruik alleen letters, cijfers en . _ : -"),
            "min_length": _(
                "Gebruik een willekeurige sleutel van ten minste {min_length} tekens, "
                "bijvoorbeeld een UUID."
            ),
        },
    )

    def validate_organisation(self, value: str) -> Any:
        organisation = organisation_get_by_slug(value)
        if organisation is None:
            raise serializers.ValidationError(_("Onbekende organisatie."))
        return organisation

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        organisation = attrs["organisation"]
        if (
            attrs["identity_mode"] == IdentityMode.ANONYMOUS
            and not organisation.anonymous_reporting_enabled
        ):
            raise serializers.ValidationError(
                {"identity_mode": _("Anoniem melden is bij deze organisatie niet mogelijk.")}
            )
        return attrs

    def submit_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of `cases.services.case_submit` (without the channel)."""
        data = self.validated_data
        details = {
            name: data[name].strip()
            for name in ("when", "where", "others_aware")
            if data.get(name, "").strip()
        }
        identity = {k: v.strip() for k, v in (data.get("identity") or {}).items() if v.strip()}
        return {
            "organisation": data["organisation"],
            "kind": data["kind"],
            "description": data["description"],
            "identity_mode": data["identity_mode"],
            "category": data.get("category", ""),
            "reporter_relation": data.get("reporter_relation", ""),
            "details": details,
            "involved": [text for text in data.get("involved", []) if text.strip()],
            "concerns_role": data.get("concerns_role", ""),
            "identity": identity or None,
            "notify_email": data.get("notify_email", ""),
            "consent_investigators": data["consent_investigators"],
            "consent_secretary": data["consent_secretary"],
            "form_token": self._form_token(),
        }

    def _form_token(self) -> str | None:
        """The idempotency key, bound to the report it came with.

        The key is namespaced for the API and combined with a digest of the validated
        report, so a key that two clients happen to share (or that someone guesses) never
        hands one reporter the case number or receipt code of another: only a retry of
        the same report finds the earlier case.
        """
        key = self.validated_data.get("idempotency_key")
        if not key:
            return None
        data = dict(self.validated_data)
        data["organisation"] = data["organisation"].slug
        data.pop("idempotency_key")
        digest = hashlib.sha256(
            json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
        ).hexdigest()
        return f"api:{key}:{digest}"


class ReportReceiptSerializer(serializers.Serializer):
    case_number = serializers.CharField(help_text=_("Het zaaknummer, bijvoorbeeld LDP-2026-0007."))
    receipt_code = serializers.CharField(
        allow_null=True,
        min_length=16,
        max_length=16,
        help_text=_(
            "De ontvangstcode van 16 cijfers: de enige sleutel tot het postvak. Hij wordt "
            "nergens leesbaar bewaard; geef hem direct aan de melder. Hij komt maar in één "
            "antwoord mee; bij een herhaalde verzending daarna is hij null."
        ),
    )


class MailboxLookupSerializer(serializers.Serializer):
    receipt_code = TextField(
        max_length=64,
        help_text=_("De ontvangstcode van 16 cijfers (spaties en streepjes mogen)."),
        error_messages={
            "required": _("Vul uw ontvangstcode in."),
            "blank": _("Vul uw ontvangstcode in."),
        },
    )

    def validate_receipt_code(self, value: str) -> str:
        digits = receipt_code_normalise(value)
        if digits is None:
            raise serializers.ValidationError(_("Een ontvangstcode bestaat uit 16 cijfers."))
        return digits


class MailboxMessageSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=MessageDirection.choices)
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    needs_approval = serializers.BooleanField(
        help_text=_("Een verslag dat de melder kan controleren en goedkeuren.")
    )
    approved_at = serializers.DateTimeField(
        allow_null=True, help_text=_("Wanneer de melder het verslag goedkeurde.")
    )
    superseded_at = serializers.DateTimeField(
        allow_null=True,
        help_text=_("Wanneer een nieuwere versie dit verslag verving; niet meer goed te keuren."),
    )


class MailboxSerializer(serializers.Serializer):
    case_number = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_text = serializers.CharField(help_text=_("De status in gewoon Nederlands."))
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    description = serializers.CharField(help_text=_("De eigen tekst van de melder."))
    messages = MailboxMessageSerializer(many=True)

    @staticmethod
    def status_text_for(status: str) -> str:
        return str(STATUS_FOR_REPORTER[Status(status)])


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()

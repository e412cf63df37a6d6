"""The public Meldpunt API: the same intake and mailbox as /meldpunt/, for other channels.

Both endpoints are public and sessionless: no authentication class (so DRF never reads the
session or the user), no actor in the audit log, no client address stored anywhere (the
throttle keeps only a daily-rotating keyed hash of it), and `Cache-Control: no-store` on
every answer, errors included. Both flows are the Meldpunt's own services
(`intake_submit`, `mailbox_open`), the same as behind /meldpunt/: these views only turn
their results into JSON.
"""

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from integritas.audit.constants import Origin
from integritas.cases import services
from integritas.cases.constants import Channel
from integritas.core.throttle import client_address

from .serializers import (
    DetailSerializer,
    MailboxLookupSerializer,
    MailboxSerializer,
    ReportReceiptSerializer,
    ReportSerializer,
)

# 400: field errors, or {"detail": ...} when the body is not JSON at all.
BAD_REQUEST = {
    "oneOf": [
        {
            "type": "object",
            "description": (
                "Per veld een lijst met foutmeldingen (non_field_errors: het geheel); bij "
                "identity per deelveld, bij involved per positie in de lijst."
            ),
            "additionalProperties": {
                "oneOf": [
                    {"type": "array", "items": {"type": "string"}},
                    {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    },
                ]
            },
        },
        {
            "type": "object",
            "description": "De inhoud is geen geldige JSON.",
            "properties": {"detail": {"type": "string"}},
            "required": ["detail"],
        },
    ]
}


def _too_many_attempts(throttled: services.MailboxThrottled) -> Response:
    return Response(
        {"detail": _("Te veel mislukte pogingen. Probeer het later opnieuw.")},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(throttled.retry_after)},
    )


def _field_errors(exc: DjangoValidationError) -> Any:
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"non_field_errors": exc.messages}


class PublicMeldpuntView(APIView):
    """Public, sessionless, never cached."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ParseError):
            # DRF's message quotes the parser's English; ours says the same in Dutch.
            exc = ParseError(_("De inhoud is geen geldige JSON."))
        elif isinstance(exc, RequestDataTooBig):
            # Django would answer with its HTML error page; an API client gets JSON.
            return Response(
                {"detail": _("De inhoud is te groot.")},
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        return super().handle_exception(exc)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response


class ReportCreateView(PublicMeldpuntView):
    @extend_schema(
        operation_id="meldpunt_melding_create",
        summary=_("Een melding doen"),
        description=_(
            "Ontvangt een melding bij het Meldpunt Integriteit. Alleen `organisation`, `kind`, "
            "`description` en `identity_mode` zijn verplicht. Het antwoord bevat het "
            "zaaknummer en de ontvangstcode van 16 cijfers; die code wordt nergens leesbaar "
            "bewaard en is de enige toegang tot het postvak. Een herhaalde verzending van "
            "dezelfde melding met dezelfde `idempotency_key` maakt geen tweede melding. De "
            "ontvangstcode gaat één keer mee: in het eerste antwoord dat wordt opgebouwd."
        ),
        tags=["meldpunt"],
        request=ReportSerializer,
        responses={
            201: OpenApiResponse(ReportReceiptSerializer, description=_("Melding ontvangen.")),
            200: OpenApiResponse(
                ReportReceiptSerializer,
                description=_(
                    "Herhaalde verzending (zelfde idempotency_key en melding): hetzelfde "
                    "zaaknummer. De ontvangstcode alleen als geen eerder antwoord hem al "
                    "bevatte (het eerste antwoord ging verloren voordat het werd opgebouwd) "
                    "en binnen 10 minuten; anders null."
                ),
            ),
            400: OpenApiResponse(BAD_REQUEST, description=_("Ongeldige invoer, per veld.")),
            413: OpenApiResponse(DetailSerializer, description=_("Meer dan 5 MB.")),
            415: OpenApiResponse(DetailSerializer, description=_("Alleen JSON.")),
        },
        examples=[
            OpenApiExample(
                "Anoniem",
                request_only=True,
                value={
                    "organisation": "leiderdorp",
                    "kind": "integrity_violation",
                    "description": "Een collega declareert reizen die niet zijn gemaakt.",
                    "identity_mode": "anonymous",
                },
            ),
            OpenApiExample(
                "Ongeldige invoer",
                response_only=True,
                status_codes=["400"],
                value={"organisation": ["Onbekende organisatie."]},
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = ReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = serializer.submit_kwargs()
        # Never refused for volume (ADR 0006): over its budget, a source's report without
        # a valid altcha proof goes to the coordinator's held queue.
        result = services.intake_submit(
            report=report,
            channel=Channel.API,
            source=client_address(request),
            proof=serializer.validated_data.get("altcha", ""),
        )
        if isinstance(result, services.IntakeProofRefused):
            raise serializers.ValidationError({"altcha": [str(services.PROOF_REFUSED_MESSAGE)]})
        if isinstance(result, services.IntakeRefused):
            raise serializers.ValidationError(_field_errors(result.errors))
        submission = result
        # The code leaves the server once (docs/adr/0005-receipt-code-shown-once.md): with
        # an idempotency key, the answer built first takes the kept copy; a retry after
        # that, or a replay from anywhere, gets the case number and null.
        token = report.get("form_token")
        code = services.intake_receipt_take(form_token=token) if token else submission.receipt_code
        body = ReportReceiptSerializer(
            {"case_number": submission.case.case_number, "receipt_code": code}
        ).data
        code = status.HTTP_200_OK if submission.repeated else status.HTTP_201_CREATED
        return Response(body, status=code)


class MailboxView(PublicMeldpuntView):
    @extend_schema(
        operation_id="meldpunt_postvak_read",
        summary=_("Het postvak van de melder lezen"),
        description=_(
            "Geeft met de ontvangstcode de status, de eigen tekst van de melder en de berichten. "
            "Elke mislukte poging telt, ook een ongeldige code; na 5 mislukte pogingen in 15 "
            "minuten antwoordt het postvak met 429 (dezelfde teller als het postvak op de "
            "website)."
        ),
        tags=["meldpunt"],
        request=MailboxLookupSerializer,
        responses={
            200: OpenApiResponse(MailboxSerializer, description=_("Het postvak.")),
            400: OpenApiResponse(BAD_REQUEST, description=_("Ongeldige ontvangstcode.")),
            404: OpenApiResponse(DetailSerializer, description=_("Geen melding bij deze code.")),
            413: OpenApiResponse(DetailSerializer, description=_("Meer dan 5 MB.")),
            415: OpenApiResponse(DetailSerializer, description=_("Alleen JSON.")),
            429: OpenApiResponse(DetailSerializer, description=_("Te veel mislukte pogingen.")),
        },
    )
    def post(self, request: Request) -> Response:
        key = services.mailbox_client_key(request)
        try:
            data = request.data
        except (ParseError, UnsupportedMediaType, RequestDataTooBig):
            # No body to read a code from: a failed attempt all the same.
            refused = services.mailbox_open(receipt_code=None, client_key=key)
            if isinstance(refused, services.MailboxThrottled):
                return _too_many_attempts(refused)
            raise
        serializer = MailboxLookupSerializer(data=data)
        entered = serializer.validated_data["receipt_code"] if serializer.is_valid() else None
        result = services.mailbox_open(receipt_code=entered, client_key=key)
        if isinstance(result, services.MailboxThrottled):
            return _too_many_attempts(result)
        if isinstance(result, services.MailboxRefused):
            if result.malformed:
                return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
            return Response(
                {"detail": _("Er is geen melding met deze ontvangstcode.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        case = result.case
        view = services.mailbox_read(case=case, origin=Origin.API)
        body = MailboxSerializer(
            {
                "case_number": case.case_number,
                "status": case.status,
                "status_text": MailboxSerializer.status_text_for(case.status),
                "acknowledged_at": case.acknowledged_at,
                "description": view.description,
                "messages": view.messages,
            }
        ).data
        return Response(body)

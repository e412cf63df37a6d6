"""Forms of the reporter's mailbox: the receipt code and a reply. Errors in Dutch."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReceiptCodeForm(forms.Form):
    receipt_code = forms.CharField(
        label=_("Uw ontvangstcode"),
        max_length=64,
        help_text=_("De 16 cijfers die u kreeg na het versturen. Spaties en streepjes mogen."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": _("Vul uw ontvangstcode in.")},
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Uw bericht"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        error_messages={
            "required": _("Schrijf een bericht."),
            "max_length": _("Gebruik hoogstens %(limit_value)d tekens (nu %(show_value)d)."),
        },
    )
    # Sent from the minutes' approval block: the reply corrects the minutes (R-WBK-8).
    is_correction = forms.BooleanField(required=False, widget=forms.HiddenInput)

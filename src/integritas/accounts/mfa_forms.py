"""allauth's passkey forms with a Dutch label for the key's name.

allauth declares `name` without a label, so Django shows "Name" in every language
(issue 8). MFA_FORMS in the settings points allauth at these.
"""

from typing import Any

from allauth.mfa.webauthn.forms import AddWebAuthnForm, EditWebAuthnForm
from django.utils.translation import gettext_lazy as _

KEY_NAME_LABEL = _("Naam van de sleutel")


class AddKeyForm(AddWebAuthnForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = KEY_NAME_LABEL


class EditKeyForm(EditWebAuthnForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = KEY_NAME_LABEL

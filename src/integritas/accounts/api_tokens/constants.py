"""The scopes of an API token."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    READ = "read", _("Lezen")
    #: Writing includes reading; needs a second administrator's approval.
    WRITE = "write", _("Lezen en schrijven")


#: The audit prefix of the token grant (api_token.request / .grant / .approve / ...).
TOKEN_ACTION = "api_token"  # noqa: S105 (an audit prefix, no secret)

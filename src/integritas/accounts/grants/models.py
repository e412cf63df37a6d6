"""The abstract four-eyes grant: its status, who asked, who decided and when."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from integritas.accounts.constants import AssignmentStatus
from integritas.core.models import BaseModel

# A grant that is still open: waiting for the second administrator, or in force.
OPEN_STATUSES = (AssignmentStatus.PENDING, AssignmentStatus.ACTIVE)


def four_eyes_constraint(name: str) -> models.CheckConstraint:
    """The database refuses a row decided by its own requester (put it in Meta)."""
    return models.CheckConstraint(
        condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
        name=name,
    )


class FourEyesGrant(BaseModel):
    """A request that a second administrator of the same scope approves or rejects.

    Subclasses name their scope, beneficiary and identity fields (see the package
    docstring) and add `four_eyes_constraint(...)` to their constraints.
    """

    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangevraagd door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beoordeeld door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)

    four_eyes_scope: ClassVar[str] = "organisation"
    four_eyes_beneficiary: ClassVar[str] = "user"
    four_eyes_identity: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def grant_organisation_id(self) -> int | None:
        """Whose administrators decide: an organisation, or None for the region's."""
        return getattr(self, f"{self.four_eyes_scope}_id")

    def grant_organisation(self) -> Any:
        return getattr(self, self.four_eyes_scope)

    def grant_beneficiary_id(self) -> int | None:
        """The user who gains by the grant; they may neither request nor decide it."""
        if not self.four_eyes_beneficiary:
            return None
        return getattr(self, f"{self.four_eyes_beneficiary}_id")

    def grant_beneficiary(self) -> Any:
        return getattr(self, self.four_eyes_beneficiary) if self.four_eyes_beneficiary else None

    def grant_identity(self) -> dict[str, Any]:
        """The fields that make another open row the same grant."""
        return {name: getattr(self, name) for name in self.four_eyes_identity}

"""Users and their role assignments.

No superuser flag and no model permissions: what a user may do follows only from active
role assignments, evaluated by the predicates in permissions.py (DESIGN §2).
"""

from typing import Any

import rules
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from integritas.core.models import BaseModel

from .constants import AssignmentStatus, Role
from .grants.models import FourEyesGrant, four_eyes_constraint


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser, BaseModel):
    """A login. The person behind it is an organisations.Employee (user.employee)."""

    email = models.EmailField(_("e-mailadres"), unique=True)
    full_name = models.CharField(_("naam"), max_length=250)
    is_active = models.BooleanField(_("actief"), default=True)
    # The language chosen in the application (a code of LANGUAGES); empty: the default.
    # Follows the user to another browser; see core.middleware.LanguageMiddleware.
    language = models.CharField(_("taal"), max_length=10, blank=True, default="")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["full_name"]
        # The user list's order (accounts.views.user_list): a page is read along the index
        # instead of sorting every account (56,000 nationally; docs/performance.md).
        indexes = [models.Index(fields=["full_name", "id"], name="accounts_user_name_idx")]

    def __str__(self) -> str:
        return self.full_name or self.email

    # Django's auth API, without a superuser or permission tables.
    @property
    def is_staff(self) -> bool:
        return False

    @property
    def is_superuser(self) -> bool:
        return False

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return self.is_active and rules.has_perm(perm, self, obj)

    def has_perms(self, perm_list: list[str], obj: Any = None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        return False

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def active(self) -> "RoleAssignmentQuerySet":
        return self.filter(status=AssignmentStatus.ACTIVE)


class RoleAssignment(FourEyesGrant):
    """A role for a user in one organisation or in the whole region (a four-eyes grant)."""

    user = models.ForeignKey(
        User, verbose_name=_("gebruiker"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    region = models.ForeignKey(
        "organisations.Region",
        verbose_name=_("regio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Rows written outside the grant service (fixtures, data imports) are in force.
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ACTIVE,
    )
    reason = models.CharField(_("reden"), max_length=500, blank=True)

    four_eyes_scope = "organisation"  # empty: a regional grant, decided in the region
    four_eyes_beneficiary = "user"
    four_eyes_identity = ("user", "role", "organisation", "region")

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("roltoewijzing")
        verbose_name_plural = _("roltoewijzingen")
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=True) & Q(region__isnull=False))
                | (Q(organisation__isnull=False) & Q(region__isnull=True)),
                name="role_assignment_one_scope",
            ),
            models.CheckConstraint(
                condition=~Q(role="employee"), name="role_assignment_not_employee"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(status__in=["pending", "active"], organisation__isnull=False),
                name="role_assignment_unique_org",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(status__in=["pending", "active"], region__isnull=False),
                name="role_assignment_unique_region",
            ),
            four_eyes_constraint("role_assignment_four_eyes"),
        ]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.scope})"

    @property
    def scope(self) -> Any:
        return self.organisation or self.region


# The API tokens live in their own room (accounts/api_tokens); imported here so that
# Django registers the model with this app.
from .api_tokens.models import ApiCall, ApiToken  # noqa: E402, F401

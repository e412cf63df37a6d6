"""The audit log holds no content and no personal data beyond the actor (R-BIO-1, AVG)."""

import pytest
from django.urls import reverse

from integritas.audit.models import AuditEvent
from integritas.audit.services import audit_record
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("R-BIO-1")]

# What an event may hold: who (actor, role), did what (action, result, origin) to which
# object (type, id) of which organisation, when, and the chain fields.
ALLOWED_COLUMNS = {
    "id",
    "chain",
    "sequence",
    "timestamp",
    "actor",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "organisation",
    "result",
    "origin",
    "prev_hash",
    "hash",
}


def row_values(event: AuditEvent) -> list[str]:
    return [str(v) for v in AuditEvent.objects.filter(pk=event.pk).values().get().values()]


def test_the_event_table_has_only_the_listed_columns():
    assert {f.name for f in AuditEvent._meta.concrete_fields} == ALLOWED_COLUMNS


def test_audit_record_takes_no_free_text_or_content():
    import inspect

    parameters = set(inspect.signature(audit_record).parameters)
    assert parameters == {
        "action",
        "actor",
        "actor_role",
        "obj",
        "object_type",
        "object_id",
        "organisation",
        "result",
        "origin",
    }


def test_an_object_is_recorded_by_type_and_id_only(organisation, make_user):
    user = make_user()
    event = audit_record(action="test.viewed", obj=user, organisation=organisation)
    values = row_values(event)
    assert event.object_type == "accounts.user"
    assert event.object_id == str(user.pk)
    assert user.email not in " ".join(values)
    assert user.full_name not in " ".join(values)


def test_failed_login_event_carries_no_user_name(client, make_user):
    user = make_user()
    for attempt in (user.email, "iemand.anders@example.nl"):
        response = client.post(
            reverse("account_login"), {"login": attempt, "password": "fout-" + TEST_PASSWORD}
        )
        assert response.status_code in (200, 403)

    failed = list(AuditEvent.objects.filter(action="login.failed"))
    assert len(failed) == 2
    for event in failed:
        assert event.actor_id is None
        assert event.object_id == ""
        joined = " ".join(row_values(event)).lower()
        assert user.email.lower() not in joined
        assert "iemand.anders" not in joined
        assert TEST_PASSWORD.lower() not in joined


def test_successful_login_names_only_the_actor(client, make_user):
    user = make_user()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="login.password")
    assert event.actor_id == user.pk
    assert user.email not in " ".join(row_values(event))

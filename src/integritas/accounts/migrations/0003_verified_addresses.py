"""Record the address of every existing login as verified (see services.user_create).

Logins are created by administrators and from HR data, never by the person, so their
address is known to be theirs; without this allauth wipes the password at the first
single sign-on of a login that has no verified address.
"""

from django.db import migrations


def verify_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    known = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=user.pk, email=user.email, verified=True, primary=True)
            for user in User.objects.exclude(pk__in=known).only("pk", "email")
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(verify_existing, migrations.RunPython.noop)]

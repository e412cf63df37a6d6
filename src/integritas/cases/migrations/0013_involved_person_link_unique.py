"""Involved persons: the sealed link to the employee, and one link per person per case.

Duplicates linked before the constraint (the same blind index twice on one case) are
removed first, keeping the oldest row of each.
"""

from django.db import migrations, models
from django.db.models import Min, Q


def remove_duplicate_links(apps, schema_editor):
    InvolvedPerson = apps.get_model("cases", "InvolvedPerson")
    linked = InvolvedPerson.objects.exclude(blind_index="")
    keep = (
        linked.values("case_id", "blind_index")
        .annotate(first=Min("pk"))
        .values_list("first", flat=True)
    )
    linked.exclude(pk__in=list(keep)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_case_intake_hold"),
    ]

    operations = [
        migrations.AddField(
            model_name="involvedperson",
            name="link_enc",
            field=models.BinaryField(blank=True, default=b""),
        ),
        migrations.RunPython(remove_duplicate_links, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="involvedperson",
            constraint=models.UniqueConstraint(
                condition=~Q(blind_index=""),
                fields=("case", "blind_index"),
                name="involved_person_unique",
            ),
        ),
    ]

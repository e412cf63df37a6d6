# Each step of the workflow kept as a status change (from, to, step, actor, time).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

STATUS_CHOICES = [
    ("received", "Ontvangen"),
    ("triage", "Vooronderzoek"),
    ("awaiting_approval", "Wacht op besluit gemeentesecretaris"),
    ("investigation", "Onderzoek"),
    ("reported_to_secretary", "Rapport bij gemeentesecretaris"),
    ("decided", "Besluit genomen"),
    ("referred", "Doorverwezen"),
    ("closed_without_investigation", "Afgesloten zonder onderzoek"),
    ("closed", "Afgesloten"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_referral_outcome"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseStatusChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "from_status",
                    models.CharField(
                        choices=STATUS_CHOICES, max_length=32, verbose_name="van status"
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        choices=STATUS_CHOICES, max_length=32, verbose_name="naar status"
                    ),
                ),
                ("transition", models.CharField(max_length=32, verbose_name="stap")),
                ("at", models.DateTimeField(verbose_name="op")),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="status_changes",
                        to="cases.case",
                    ),
                ),
            ],
            options={
                "verbose_name": "statuswijziging",
                "verbose_name_plural": "statuswijzigingen",
                "ordering": ["at", "pk"],
                "indexes": [
                    models.Index(fields=["case", "at"], name="cases_cases_case_id_43d4a2_idx")
                ],
            },
        ),
    ]

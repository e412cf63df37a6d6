# Indexes for the home page's work lists and the inbox filters behind them: each condition
# (reports to acknowledge, feedback pending, aangifte pending, replies from reporters) is
# read oldest first from an index that holds only its cases.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_casestatuschange")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status", "received")),
                fields=["received_at"],
                name="case_to_acknowledge_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("feedback_given_at__isnull", True)),
                fields=["received_at", "acknowledged_at"],
                name="case_feedback_pending_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("feedback_given_at__isnull", True)),
                fields=["acknowledged_at", "received_at"],
                name="case_feedback_start_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(
                    ("aangifte_decision__isnull", True), ("is_possible_offence", True)
                ),
                fields=["received_at"],
                name="case_aangifte_pending_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="casemessage",
            index=models.Index(fields=["direction", "created_at"], name="message_direction_idx"),
        ),
        migrations.AddIndex(
            model_name="casemessage",
            index=models.Index(fields=["case", "created_at"], name="message_case_created_idx"),
        ),
    ]

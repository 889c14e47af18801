"""The dashboard's decision counts read a covering index instead of the wide rows.

It replaces the (winddown, status) index, which is its prefix.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("compliance", "0005_decision_executed")]

    operations = [
        migrations.RemoveIndex(model_name="decision", name="compliance__winddow_e8f380_idx"),
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(
                fields=["winddown", "status", "disposition", "conflict"],
                include=("override_disposition", "holding", "id"),
                name="decision_status_counts",
            ),
        ),
    ]

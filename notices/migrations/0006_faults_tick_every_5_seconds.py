"""Run the notices sweeper every 5 s (was 10 s): a crashed sender's work resumes sooner.

With 15 s leases renewed every 3 s, a dead worker's rows are re-queued within about 20 s of
the crash and a silent campaign gets new send tasks within about 10 s (notices/recovery.py).
"""

from django.db import migrations

TASK_NAME = "notices: start scheduled campaigns and re-queue expired leases"


def every(seconds):
    def change(apps, schema_editor):
        IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
        PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
        interval, _ = IntervalSchedule.objects.get_or_create(every=seconds, period="seconds")
        PeriodicTask.objects.filter(name=TASK_NAME).update(interval=interval)

    return change


class Migration(migrations.Migration):
    dependencies = [("notices", "0005_delivery_remaining_index")]

    operations = [migrations.RunPython(every(5), every(10))]

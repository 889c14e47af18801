"""The Celery app: JSON only, late acknowledgement, tasks discovered from every installed app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "windown.settings")

app = Celery("windown")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

"""Django settings for the django-post_office comparison run (bench/_postoffice_run.py only).

Used in its own virtualenv (/tmp/postoffice-venv: requirements.txt + django-post_office);
post_office is never a dependency of windown. Environment: DATABASE_URL, BENCH_SMTP_PORT,
BENCH_CONNECTIONS.
"""

import os

import environ

SECRET_KEY = "bench-only-not-secret"  # noqa: S105 (a throwaway process sending to a local sink)
DEBUG = False
USE_TZ = True
INSTALLED_APPS = ["django.contrib.contenttypes", "post_office"]
DATABASES = {"default": environ.Env().db_url("DATABASE_URL")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("BENCH_SMTP_PORT", "8041"))
# One SMTP connection per process, as many processes as windown has connections.
POST_OFFICE = {
    "THREADS_PER_PROCESS": 1,
    "BATCH_SIZE": 100,
    "LOG_LEVEL": 0,
    "BACKENDS": {"default": "django.core.mail.backends.smtp.EmailBackend"},
}

"""Settings for windown, driven by environment variables (django-environ).

Defaults are safe for a developer laptop (SQLite, a file-based Celery broker, emails written to
files). With DEBUG off, the settings refuse to start without a real SECRET_KEY and default to
secure cookies, HSTS and HTTPS redirects.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105  # nosec B105 # the development key, refused when DEBUG is off
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_countries",
    "anymail",
    "windown",
    "inventory",
    "compliance",
    "notices",
    "destruction",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "windown.urls"
WSGI_APPLICATION = "windown.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "windown.context_processors.winddown_context",
            ],
        },
    },
]

# Database: SQLite file by default; PostgreSQL in production and CI via DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock at BEGIN, so the web process and the Celery
    # worker serialise their writes instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 30, "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # A file, not :memory:, so that tests with several threads or processes share one database;
    # its folder is made here, so pytest works on a fresh clone without `make` having run.
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
    # The decisions' covering index (compliance 0006) carries INCLUDE columns, which SQLite
    # ignores: the index still works there, only without its PostgreSQL speed-up; nothing to warn
    # the embedded `make run` about.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "windown.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "windown:winddown-list"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: the UI speaks English and Simplified Chinese.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
# The core's catalogue (windown/ and the project templates/); phase apps keep their own.
LOCALE_PATHS = [BASE_DIR / "windown" / "locale"]
FORMAT_MODULE_PATH = ["windown.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)

# Email: EMAIL_URL selects the backend (smtp://user:pass@host:587, smtp+tls://..., consolemail://,
# filemail:///abs/path). By default every message is written to a file under var/mail.
_email = env.email_url("EMAIL_URL", default="filemail://")
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=_email["EMAIL_BACKEND"])
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
EMAIL_FILE_PATH = (
    "/" + _email["EMAIL_FILE_PATH"] if _email.get("EMAIL_FILE_PATH") else str(VAR_DIR / "mail")
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="windown <noreply@windown.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ANYMAIL = env.json("ANYMAIL", default={})

# Celery: a broker that needs no server by default (kombu's filesystem transport), Redis in
# production. Work is acknowledged after it ran, and re-queued if the worker dies.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # A message a dead worker had taken is delivered again after this many seconds (the fault
    # suite shortens it to see that happen).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "verify-audit-chains": {
        "task": "windown.tasks.verify_audit_chains",
        "schedule": crontab(hour=3, minute=17),
    },
    # after the verification, so that each night's checkpoint covers its result
    "sign-audit-checkpoints": {
        "task": "windown.tasks.sign_audit_checkpoints",
        "schedule": crontab(hour=3, minute=37),
    },
    "destruction-archives-due": {
        "task": "destruction.notice_archives_due",
        "schedule": crontab(minute=41),
    },
}
CELERY_TIMEZONE = TIME_ZONE
REDIS_URL = env.str("REDIS_URL", default="")

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "windown API",
    "DESCRIPTION": "Customer-data cleanup of a company that is winding down.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",  # served locally, no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # statuses of different objects: one named enum each in the schema
    "ENUM_NAME_OVERRIDES": {
        "WindDownStatusEnum": "windown.models.WindDown.Status",
        "DataSystemStatusEnum": "inventory.models.DataSystem.Status",
    },
}

# Security: secure by default when DEBUG is off; each switch can be set by environment.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("SECURE_PROXY_SSL", default=False) else None
)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# windown's own knobs
WINDOWN_NOTICE_LEAD_DAYS = env.int("WINDOWN_NOTICE_LEAD_DAYS", default=30)
WINDOWN_CERTIFICATE_RETENTION_YEARS = env.int("WINDOWN_CERTIFICATE_RETENTION_YEARS", default=5)
WINDOWN_IMPORT_MAX_BYTES = env.int("WINDOWN_IMPORT_MAX_BYTES", default=50 * 1024 * 1024)
# how long the installation's database backups are kept: a crypto-shredded archive's key
# envelope survives in backups taken before the shred until this many days have passed
WINDOWN_BACKUP_RETENTION_DAYS = env.int("WINDOWN_BACKUP_RETENTION_DAYS", default=35)
# where load_demo writes demo-only secrets (the demo archive custodian's identity)
WINDOWN_DEMO_DIR = VAR_DIR / "demo"

# Signing (PDF certificates, audit checkpoints): `manage.py init_signing_ca` writes a local root CA
# and signing certificate into WINDOWN_SIGNING_DIR; nothing generates keys by itself. To sign
# with your company CA instead, point the four paths below at its files (see README).
WINDOWN_SIGNING_DIR = env.path("WINDOWN_SIGNING_DIR", default=VAR_DIR / "signing")
WINDOWN_SIGNING_KEY = env.str("WINDOWN_SIGNING_KEY", default="")
WINDOWN_SIGNING_CERT = env.str("WINDOWN_SIGNING_CERT", default="")
WINDOWN_SIGNING_ROOT = env.str("WINDOWN_SIGNING_ROOT", default="")
WINDOWN_SIGNING_CHAIN = env.list("WINDOWN_SIGNING_CHAIN", default=[])
WINDOWN_SIGNING_KEY_PASSPHRASE = env.str("WINDOWN_SIGNING_KEY_PASSPHRASE", default="")
# The name of this installation's audit logs in signed checkpoints: `<origin>/<wind-down slug>`.
# Keep it stable: kept checkpoints name it.
WINDOWN_LOG_ORIGIN = env.str(
    "WINDOWN_LOG_ORIGIN", default="windown." + (urlsplit(SITE_URL).hostname or "localhost")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- notices (issue 5) -------------------------------------------------------------------------
# Legal due dates of customers' requests per jurisdiction: a number of days, or "1m" (one
# calendar month, GDPR art. 12(3)). "EU" covers every EU member state; "OTHER" is the default.
NOTICES_REQUEST_DUE = env.json(
    "NOTICES_REQUEST_DUE", default={"EU": "1m", "US-CA": 45, "CN": 15, "OTHER": 30}
)
NOTICES_LINK_GRACE_DAYS = env.int("NOTICES_LINK_GRACE_DAYS", default=90)
# After the completion receipt, customers may appeal through their personal page this many days.
NOTICES_APPEAL_DAYS = env.int("NOTICES_APPEAL_DAYS", default=30)
# A customer's compiled data export is stored encrypted (Fernet) with this key and offered on
# their personal page for NOTICES_EXPORT_DAYS. Unset, a key is derived from SECRET_KEY (like the
# webhooks' secrets); set it (a Fernet key) to keep stored copies readable across a SECRET_KEY
# rotation and to keep the two apart.
NOTICES_EXPORT_KEY = env.str("NOTICES_EXPORT_KEY", default="")
NOTICES_EXPORT_DAYS = env.int("NOTICES_EXPORT_DAYS", default=30)
NOTICES_EXPORT_MAX_MIB = env.int("NOTICES_EXPORT_MAX_MIB", default=50)
NOTICES_LEASE_SECONDS = env.int("NOTICES_LEASE_SECONDS", default=15)  # renewed: faults block
# claimed per round (at most two seconds of the rate limit): fewer per-batch queries per notice
NOTICES_BATCH_SIZE = env.int("NOTICES_BATCH_SIZE", default=100)
NOTICES_TASK_BUDGET_SECONDS = env.int("NOTICES_TASK_BUDGET_SECONDS", default=30)
NOTICES_PARALLEL_TASKS = env.int("NOTICES_PARALLEL_TASKS", default=2)
NOTICES_MAX_ATTEMPTS = env.int("NOTICES_MAX_ATTEMPTS", default=6)
NOTICES_RETRY_BASE_SECONDS = env.int("NOTICES_RETRY_BASE_SECONDS", default=30)
NOTICES_SWEEP_SECONDS = env.int("NOTICES_SWEEP_SECONDS", default=5)  # beat: notices 0006
# Commit send outcomes without waiting for the WAL flush (PostgreSQL; see notices/sending.py).
NOTICES_ASYNC_COMMIT = env.bool("NOTICES_ASYNC_COMMIT", default=True)
# How long a sender waits for PostgreSQL to answer an outcome's UPDATE (notices/outcomes.py).
NOTICES_DB_TIMEOUT_SECONDS = env.int("NOTICES_DB_TIMEOUT_SECONDS", default=30)
NOTICES_PAGE_RATE = env.str("NOTICES_PAGE_RATE", default="30/m")
# The personal page's rate limit counts in the cache: shared through Redis when there is one.
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {})["NoticeLanguageEnum"] = (
    "notices.models.Language"
)
# --- end notices -------------------------------------------------------------------------------

# --- destruction (issue 9): jobs and evidence, processor deletion requests ---------------------
# (archives: WINDOWN_BACKUP_RETENTION_DAYS and WINDOWN_DEMO_DIR above, beat entry in the schedule)
# Largest evidence file (video, photos, reports) accepted for a destruction job.
DESTRUCTION_EVIDENCE_MAX_BYTES = env.int("DESTRUCTION_EVIDENCE_MAX_BYTES", default=2 * 1024**3)
# Days a processor has to confirm deletion, days between reminders, and how long after the
# deadline (or the latest reminder) a confirmation link still opens.
DESTRUCTION_PROCESSOR_DEADLINE_DAYS = env.int("DESTRUCTION_PROCESSOR_DEADLINE_DAYS", default=14)
DESTRUCTION_PROCESSOR_REMINDER_DAYS = env.int("DESTRUCTION_PROCESSOR_REMINDER_DAYS", default=5)
DESTRUCTION_PROCESSOR_LINK_DAYS = env.int("DESTRUCTION_PROCESSOR_LINK_DAYS", default=30)
DESTRUCTION_PROCESSOR_CERTIFICATE_MAX_BYTES = env.int(
    "DESTRUCTION_PROCESSOR_CERTIFICATE_MAX_BYTES", default=50 * 1024 * 1024
)
# Requests per minute the confirmation form accepts per client (like the personal page's).
DESTRUCTION_PROCESSOR_PAGE_RATE = env.str("DESTRUCTION_PROCESSOR_PAGE_RATE", default="30/m")
# Beat polls for due reminders and passed deadlines (no ETA tasks).
CELERY_BEAT_SCHEDULE["destruction-processor-requests"] = {
    "task": "destruction.processor_requests_poll",
    "schedule": crontab(minute="*/15"),
}
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "ProcessorRequestStatusEnum": "destruction.models.ProcessorRequest.Status",
        "ProcessorRequestLanguageEnum": "destruction.models.ProcessorRequest.Language",
        "ProcessorAnswerEnum": "destruction.models.ProcessorRequestItem.Answer",
        "ProcessorEmailKindEnum": "destruction.models.ProcessorEmail.Kind",
        "RevocationKindEnum": "destruction.models.RevocationItem.Kind",
        "RevocationStatusEnum": "destruction.models.RevocationItem.Status",
        "EvidenceKindEnum": "destruction.models.Evidence.Kind",
        "JobItemKindEnum": "destruction.models.JobItem.Kind",
        "JobVerificationMethodEnum": "destruction.models.DestructionJob.VerificationMethod",
        "ArchiveVerificationEnum": "destruction.models.Archive.Verification",
    }
)
# --- end destruction ---------------------------------------------------------------------------

# --- hooks: outbound webhooks (issue 14) --------------------------------------------------------
# Plain http and private/loopback/link-local targets are refused in production; development and
# tests allow them (a receiver on localhost).
WEBHOOKS_ALLOW_HTTP = env.bool("WEBHOOKS_ALLOW_HTTP", default=DEBUG)
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", default=DEBUG)
# Fernet keys (newest first) that encrypt the stored signing secrets; empty: derived from
# SECRET_KEY (rotating SECRET_KEY then needs the old derived key listed here).
WEBHOOKS_SECRET_KEYS = env.list("WEBHOOKS_SECRET_KEYS", default=[])
WEBHOOKS_TIMEOUT_SECONDS = env.int("WEBHOOKS_TIMEOUT_SECONDS", default=10)
# A failed attempt waits base * 2^(attempts-1) seconds, at most max; after the window (a day
# from the event, or from "resend") the delivery is marked failed and shown to the director.
WEBHOOKS_RETRY_BASE_SECONDS = env.int("WEBHOOKS_RETRY_BASE_SECONDS", default=30)
WEBHOOKS_RETRY_MAX_SECONDS = env.int("WEBHOOKS_RETRY_MAX_SECONDS", default=3600)
WEBHOOKS_RETRY_WINDOW_SECONDS = env.int("WEBHOOKS_RETRY_WINDOW_SECONDS", default=86400)
# A claimed delivery whose worker died is sent again once its lease has passed.
WEBHOOKS_LEASE_SECONDS = env.int("WEBHOOKS_LEASE_SECONDS", default=60)
WEBHOOKS_SWEEP_SECONDS = env.int("WEBHOOKS_SWEEP_SECONDS", default=15)
CELERY_BEAT_SCHEDULE["webhooks-sweep"] = {
    "task": "windown.webhooks.sweep",
    "schedule": WEBHOOKS_SWEEP_SECONDS,
}
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "WebhookDeliveryStatusEnum": "windown.models.WebhookDelivery.Status",
        "WebhookEventTypeEnum": "windown.webhooks.events.event_choices",
    }
)
# --- end hooks ---------------------------------------------------------------------------------

# --- cert: destruction certificates (issue 10) -------------------------------------------------
# An RFC 3161 timestamp authority for certificate signatures; without one the certificate says
# its signing time is the signer's claim.
SIGNING_TSA_URL = env.str("SIGNING_TSA_URL", default="")
# A worker process is replaced after a task once its RSS passes this many KiB: rendering PDFs
# with WeasyPrint makes a process grow (measured by bench/bench_certificates.py; WeasyPrint #220).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=300_000)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["CertificateStatusEnum"] = (
    "destruction.models.Certificate.Status"
)
# --- end cert ----------------------------------------------------------------------------------
# --- hacc (issue 13, access): lockout, second factor, CSP, no-store, schema access -----------
# Middleware added here (in order): django_otp's OTPMiddleware after authentication, then
# windown.security.middleware.SecondFactorMiddleware (enrolment/verification when required),
# csp.middleware.CSPMiddleware, windown.security.middleware.NoStoreMiddleware, and
# axes.middleware.AxesMiddleware last (it turns a lockout into the 429 page).
INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
    "windown.security.middleware.SecondFactorMiddleware",
)
MIDDLEWARE += [
    "csp.middleware.CSPMiddleware",
    "windown.security.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]
# django-axes watches every authentication (the login page, the API token endpoint, the admin):
# after LOGIN_FAILURE_LIMIT failures an account (by e-mail address, any letter case) is locked,
# and so is a client address (REMOTE_ADDR, as the page rate limits count it), for
# LOGIN_LOCKOUT_MINUTES; `manage.py unlock_login` and the team page's "Unlock" end it sooner.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("LOGIN_LOCKOUT_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "windown.security.lockout.username_of"
AXES_CLIENT_IP_CALLABLE = "windown.security.lockout.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "windown.security.lockout.locked_out_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# A second factor (TOTP, django-otp). Members whose role in any wind-down is listed here must
# enrol and verify a code at every sign-in; others may enrol by choice.
WINDOWN_OTP_REQUIRED_ROLES = env.list("WINDOWN_OTP_REQUIRED_ROLES", default=[])
OTP_TOTP_ISSUER = "windown"
# Content-Security-Policy: nothing inline, nothing from another origin (the API docs' Swagger UI
# is served from drf-spectacular-sidecar's static files; its init script is a static file too).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        # the notice template preview shows the HTML in a sandboxed srcdoc iframe
        "frame-src": ["'self'"],
    }
}
# The OpenAPI schema and docs: open to anyone in development, to signed-in users (session or
# token) in production unless WINDOWN_API_SCHEMA_PUBLIC says otherwise.
WINDOWN_API_SCHEMA_PUBLIC = env.bool("WINDOWN_API_SCHEMA_PUBLIC", default=DEBUG)
SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"] = (
    ["rest_framework.permissions.AllowAny"]
    if WINDOWN_API_SCHEMA_PUBLIC
    else ["rest_framework.permissions.IsAuthenticated"]
)
# The personal page's rate limit per link (token), besides NOTICES_PAGE_RATE per client address.
NOTICES_PAGE_TOKEN_RATE = env.str("NOTICES_PAGE_TOKEN_RATE", default="20/m")
# --- end hacc ----------------------------------------------------------------------------------

# --- verify: the public certificate verification page -----------------------------------------
# Requests per minute the verification page accepts per client, and the largest PDF it reads.
DESTRUCTION_VERIFY_PAGE_RATE = env.str("DESTRUCTION_VERIFY_PAGE_RATE", default="20/m")
DESTRUCTION_VERIFY_MAX_BYTES = env.int("DESTRUCTION_VERIFY_MAX_BYTES", default=20 * 1024 * 1024)
# --- end verify ---------------------------------------------------------------------------------
# --- faults (issue 13): crashes and outages -----------------------------------------------------
# A sending task renews its leases (NOTICES_LEASE_SECONDS) and the campaign's heartbeat this
# often (keep the lease several heartbeats long); a campaign silent for two periods gets new
# send tasks (notices/recovery.py).
NOTICES_HEARTBEAT_SECONDS = env.int("NOTICES_HEARTBEAT_SECONDS", default=3)
# How long a sender whose database connection dropped keeps trying to reconnect.
NOTICES_DB_RECOVERY_SECONDS = env.int("NOTICES_DB_RECOVERY_SECONDS", default=60)
# The database is unreachable: pages answer 503 with this Retry-After (windown/unavailable.py).
WINDOWN_UNAVAILABLE_RETRY_AFTER = env.int("WINDOWN_UNAVAILABLE_RETRY_AFTER", default=30)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # an unreachable server (lost network) fails within seconds instead of hanging a request
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "windown.unavailable.DatabaseUnavailableMiddleware",
)
# --- end faults ---------------------------------------------------------------------------------
# --- perf: sending throughput (issue 12) -------------------------------------------------------
# Outcomes of sent notices written per UPDATE (notices/outcome_batches.py): one commit per chunk;
# a crash, an outage or a dropped connection can resend up to 2 x chunk notices per sending task
# (the chunk on its way, those kept since, the one on the wire); the fault suite computes its
# bounds from this. 8: measured against 1, 4, 16 and 32 (bench/README-notices.md, sendperf).
NOTICES_OUTCOME_CHUNK = env.int("NOTICES_OUTCOME_CHUNK", default=8)
# A chunk is written once its oldest outcome is this old (from when its message was handed to the
# SMTP server), so a slow server gets one UPDATE per message and outcomes never wait long.
NOTICES_OUTCOME_MAX_AGE_MS = env.int("NOTICES_OUTCOME_MAX_AGE_MS", default=100)
# --- end perf ----------------------------------------------------------------------------------
# --- hio: upload limits (sizes in bytes, messages in MiB) and XLSX bounds checked before parsing
MIB = 1024 * 1024
# The data map is parsed in the web process: its workbook's uncompressed size and rows are
# bounded before calamine opens it.
WINDOWN_IMPORT_MAX_UNCOMPRESSED_BYTES = env.int(
    "WINDOWN_IMPORT_MAX_UNCOMPRESSED_BYTES", default=100 * MIB
)
WINDOWN_IMPORT_MAX_ROWS = env.int("WINDOWN_IMPORT_MAX_ROWS", default=200_000)
# Recipient files are parsed by a worker; the upload itself is limited too.
NOTICES_IMPORT_MAX_BYTES = env.int("NOTICES_IMPORT_MAX_BYTES", default=256 * MIB)
NOTICES_IMPORT_MAX_UNCOMPRESSED_BYTES = env.int(
    "NOTICES_IMPORT_MAX_UNCOMPRESSED_BYTES", default=1024 * MIB
)
NOTICES_IMPORT_MAX_ROWS = env.int("NOTICES_IMPORT_MAX_ROWS", default=1_048_576)
# Exports uploaded for archiving (CSV or XLSX) and open-matter CSV files.
DESTRUCTION_ARCHIVE_MAX_BYTES = env.int("DESTRUCTION_ARCHIVE_MAX_BYTES", default=2048 * MIB)
DESTRUCTION_ARCHIVE_MAX_UNCOMPRESSED_BYTES = env.int(
    "DESTRUCTION_ARCHIVE_MAX_UNCOMPRESSED_BYTES", default=1024 * MIB
)
DESTRUCTION_ARCHIVE_MAX_ROWS = env.int("DESTRUCTION_ARCHIVE_MAX_ROWS", default=1_048_576)
COMPLIANCE_MATTERS_IMPORT_MAX_BYTES = env.int(
    "COMPLIANCE_MATTERS_IMPORT_MAX_BYTES", default=20 * MIB
)
# SMTPUTF8 (RFC 6531): whether the configured transport may carry internationalised
# addresses (UTF-8 local parts). IDN domains are sent as punycode and need no extension.
WINDOWN_EMAIL_SMTPUTF8 = env.bool("WINDOWN_EMAIL_SMTPUTF8", default=False)
# Every /api/ path answers JSON (also Django's own 404/405/500) and refuses NUL bytes.
MIDDLEWARE.insert(1, "windown.api.middleware.ApiInputGuard")
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "windown.api.schema.AutoSchema"
# The schema documents the errors every operation can answer (windown/api/schema.py).
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "windown.api.schema.add_error_responses",
]
# --- end hio -----------------------------------------------------------------------------------
# --- dashperf: the delivery tally's appended rows are folded often, so the dashboard sums few ---
CELERY_BEAT_SCHEDULE["notices-delivery-tally-compact"] = {
    "task": "notices.delivery_tally_compact",
    "schedule": 10.0,
}

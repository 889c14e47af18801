"""The data map: where customer data lives (systems), what it is (categories), how much of it
there is per subject jurisdiction (holdings), and each department's attestation."""

from __future__ import annotations

from functools import cache

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField

from windown.models import Membership, WindDown

SPECIAL_JURISDICTIONS = ("US-CA", "OTHER")


@cache
def country_codes() -> frozenset[str]:
    """Return every ISO 3166-1 alpha-2 code django-countries knows."""
    return frozenset(code for code, _name in countries)


def is_jurisdiction(code: str) -> bool:
    """Say whether `code` is a subject jurisdiction: an ISO country, US-CA or OTHER."""
    return code in SPECIAL_JURISDICTIONS or code in country_codes()


def validate_jurisdiction(code: str) -> None:
    if not is_jurisdiction(code):
        raise ValidationError(
            _("%(code)s is not a jurisdiction: use an ISO country code, US-CA or OTHER."),
            params={"code": code},
            code="invalid_jurisdiction",
        )


class RecordType(models.TextChoices):
    """The retention engine's record types (compliance.engine.RECORD_TYPES; a test keeps them
    equal)."""

    ACCOUNT_DATA = "account_data", _("Account data")
    ACCOUNTING_VOUCHERS = "accounting_vouchers", _("Accounting vouchers")
    AUTH_SECRETS = "auth_secrets", _("Authentication secrets")
    BANK_STATEMENTS = "bank_statements", _("Bank statements")
    BROWSING_HISTORY = "browsing_history", _("Browsing history")
    BUSINESS_LETTERS = "business_letters", _("Business letters")
    CARD_FULL = "card_full", _("Full card numbers")
    CARD_LAST4 = "card_last4", _("Last four card digits")
    CONSUMER_REQUEST_LOGS = "consumer_request_logs", _("Consumer request logs")
    CUSTOMER_SERVICE_CHATS = "customer_service_chats", _("Customer-service chats")
    FINANCIAL_STATEMENTS = "financial_statements", _("Financial statements")
    IDENTITY_DOCUMENTS = "identity_documents", _("Identity documents")
    INVOICES = "invoices", _("Invoices")
    LEDGERS = "ledgers", _("Ledgers")
    MARKETING_PROFILE = "marketing_profile", _("Marketing profiles")
    ORDER_RECORDS = "order_records", _("Order records")
    PAYMENT_RECORDS = "payment_records", _("Payment records")
    PAYROLL_RECORDS = "payroll_records", _("Payroll records")
    SEARCH_HISTORY = "search_history", _("Search history")
    TAX_RETURNS = "tax_returns", _("Tax returns")


class DataCategory(models.Model):
    """A kind of personal data (fideslang-style key) and the record type retention rules use."""

    class Sensitivity(models.TextChoices):
        NORMAL = "normal", _("Normal")
        SENSITIVE = "sensitive", _("Sensitive (PIPL)")

    winddown = models.ForeignKey(
        WindDown, models.CASCADE, related_name="data_categories", verbose_name=_("wind-down")
    )
    key = models.CharField(_("key"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_zh = models.CharField(_("label (Chinese)"), max_length=200, blank=True)
    sensitivity = models.CharField(
        _("sensitivity"), max_length=20, choices=Sensitivity.choices, default=Sensitivity.NORMAL
    )
    record_type = models.CharField(_("record type"), max_length=60, choices=RecordType.choices)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("data category")
        verbose_name_plural = _("data categories")
        constraints = [
            models.UniqueConstraint(fields=["winddown", "key"], name="datacategory_key_unique"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def label(self) -> str:
        """Return the label in the active language."""
        if (get_language() or "").startswith("zh") and self.label_zh:
            return self.label_zh
        return self.label_en

    @property
    def is_sensitive(self) -> bool:
        return self.sensitivity == self.Sensitivity.SENSITIVE


class DataSystem(models.Model):
    """A place where customer data lives: a database, a SaaS account, a laptop, a USB drive…"""

    class Kind(models.TextChoices):
        DATABASE = "database", _("Database")
        SAAS = "saas", _("SaaS application")
        FILE_SHARE = "file_share", _("File share")
        LAPTOP = "laptop", _("Laptop")
        REMOVABLE_MEDIA = "removable_media", _("Removable media")
        MAILBOX = "mailbox", _("Mailbox")
        CHAT_EXPORT = "chat_export", _("Chat export")
        PAPER = "paper", _("Paper")
        BACKUP = "backup", _("Backup")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DECLARED = "declared", _("Declared")
        VERIFIED = "verified", _("Verified")
        CLEANED = "cleaned", _("Cleaned")
        DESTROYED = "destroyed", _("Destroyed")

    # Places that escape IT's view: staff laptops, USB drives, personal mailboxes, chat exports.
    HIGH_RISK_KINDS = frozenset({Kind.LAPTOP, Kind.REMOVABLE_MEDIA, Kind.MAILBOX, Kind.CHAT_EXPORT})

    winddown = models.ForeignKey(
        WindDown, models.CASCADE, related_name="data_systems", verbose_name=_("wind-down")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    hosting_provider = models.CharField(_("hosting provider"), max_length=100, blank=True)
    hosting_region = models.CharField(_("hosting region"), max_length=100, blank=True)
    storage_country = CountryField(_("storage country"), blank=True)
    # A third party that runs the system for the company (a processor: SaaS, payment gateway,
    # logistics, marketing tool); destruction sends it a deletion request at the end.
    processor_name = models.CharField(
        _("processor (third party)"),
        max_length=200,
        blank=True,
        help_text=_("The company that runs this system for you; empty if you run it yourself."),
    )
    processor_email = models.EmailField(_("processor's privacy contact"), blank=True)
    department = models.CharField(_("department"), max_length=100)
    custodian = models.ForeignKey(
        Membership,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="custodied_systems",
        verbose_name=_("custodian"),
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DECLARED
    )
    make = models.CharField(_("make"), max_length=100, blank=True)
    model = models.CharField(_("model"), max_length=100, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    asset_number = models.CharField(_("asset number"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("data system")
        verbose_name_plural = _("data systems")
        constraints = [
            models.UniqueConstraint(fields=["winddown", "name"], name="datasystem_name_unique"),
        ]
        indexes = [models.Index(fields=["winddown", "department"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "inventory:system-detail", kwargs={"slug": self.winddown.slug, "pk": self.pk}
        )

    @property
    def is_high_risk(self) -> bool:
        return self.kind in self.HIGH_RISK_KINDS

    @property
    def is_processed_by_third_party(self) -> bool:
        return bool(self.processor_name)


class Holding(models.Model):
    """One slice of data: a system's records of one category, from one source, for subjects
    of one jurisdiction, with counts and the dates retention periods start from."""

    class Source(models.TextChoices):
        REGISTRATION = "registration", _("Registration")
        ORDER = "order", _("Order")
        SUPPORT = "support", _("Support")
        MARKETING = "marketing", _("Marketing")
        IMPORT = "import", _("Import")
        OTHER = "other", _("Other")

    winddown = models.ForeignKey(
        WindDown, models.CASCADE, related_name="holdings", verbose_name=_("wind-down")
    )
    system = models.ForeignKey(
        DataSystem, models.CASCADE, related_name="holdings", verbose_name=_("system")
    )
    category = models.ForeignKey(
        DataCategory, models.PROTECT, related_name="holdings", verbose_name=_("category")
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    jurisdiction = models.CharField(
        _("subject jurisdiction"), max_length=10, validators=[validate_jurisdiction]
    )
    records_total = models.PositiveBigIntegerField(_("records (total)"), default=0)
    records_active = models.PositiveBigIntegerField(_("records (active)"), default=0)
    records_dormant = models.PositiveBigIntegerField(_("records (dormant)"), default=0)
    oldest_record = models.DateField(_("oldest record"), null=True, blank=True)
    newest_record = models.DateField(_("newest record"), null=True, blank=True)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # set by the destruction phase (through inventory's service) when the data is destroyed
    destroyed_at = models.DateTimeField(_("destroyed at"), null=True, blank=True)
    destroyed_by_job = models.CharField(
        _("destroyed by job"), max_length=30, blank=True, default="", db_default=""
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["system__name", "category__key", "source", "jurisdiction"]
        verbose_name = _("holding")
        verbose_name_plural = _("holdings")
        constraints = [
            models.UniqueConstraint(
                fields=["system", "category", "source", "jurisdiction"],
                name="holding_slice_unique",
            ),
            models.CheckConstraint(
                condition=Q(records_total__gte=0, records_active__gte=0, records_dormant__gte=0),
                name="holding_counts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(records_total__gte=F("records_active") + F("records_dormant")),
                name="holding_active_dormant_within_total",
            ),
            models.CheckConstraint(
                condition=Q(oldest_record__isnull=True)
                | Q(newest_record__isnull=True)
                | Q(oldest_record__lte=F("newest_record")),
                name="holding_oldest_before_newest",
            ),
        ]
        indexes = [
            models.Index(fields=["winddown", "jurisdiction"]),
            models.Index(fields=["winddown", "category"]),
        ]

    def __str__(self) -> str:
        return f"{self.system} · {self.category} · {self.source} · {self.jurisdiction}"

    @property
    def label(self) -> str:
        """Name the holding for a reader, in the active language (str() is the record's own
        language-neutral name, kept in audit payloads and certificates)."""
        return (
            f"{self.system} · {self.category.label} · {self.get_source_display()} · "
            f"{self.jurisdiction}"
        )

    def clean(self) -> None:
        errors = {}
        if self.records_active + self.records_dormant > self.records_total:
            errors["records_total"] = _(
                "Active plus dormant records (%(sum)s) exceed the total (%(total)s)."
            ) % {"sum": self.records_active + self.records_dormant, "total": self.records_total}
        if self.oldest_record and self.newest_record and self.oldest_record > self.newest_record:
            errors["newest_record"] = _("The newest record is older than the oldest record.")
        if not isinstance(self.fields, list) or not all(isinstance(f, str) for f in self.fields):
            errors["fields"] = _("Fields must be a list of field names.")
        if (
            self.system_id
            and self.category_id
            and self.winddown_id
            and (
                self.system.winddown_id != self.winddown_id
                or self.category.winddown_id != self.winddown_id
            )
        ):
            errors["system"] = _("System and category must belong to this wind-down.")
        if errors:
            raise ValidationError(errors)

    @property
    def department(self) -> str:
        return self.system.department


class Attestation(models.Model):
    """A custodian's signed statement that their department's declaration is complete.

    One row per wind-down and department. A later change to the department's systems or
    holdings sets `invalidated_at` ("changed since attested"); attesting again clears it.
    """

    winddown = models.ForeignKey(
        WindDown, models.CASCADE, related_name="attestations", verbose_name=_("wind-down")
    )
    department = models.CharField(_("department"), max_length=100)
    attested_by = models.ForeignKey(
        Membership,
        models.SET_NULL,
        null=True,
        related_name="attestations",
        verbose_name=_("attested by"),
    )
    attested_by_label = models.CharField(_("attested by (as signed)"), max_length=254)
    statement = models.TextField(_("statement"))
    attested_at = models.DateTimeField(_("attested at"))
    invalidated_at = models.DateTimeField(_("changed since attested at"), null=True, blank=True)
    invalidated_reason = models.CharField(_("what changed"), max_length=200, blank=True)

    class Meta:
        ordering = ["department"]
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")
        constraints = [
            models.UniqueConstraint(
                fields=["winddown", "department"], name="attestation_one_per_department"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.attested_at:%Y-%m-%d}"

    @property
    def is_current(self) -> bool:
        return self.invalidated_at is None


class DataMapImport(models.Model):
    """An uploaded data map read by a worker: first its report (the preview), then its import."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a worker")
        CHECKING = "checking", _("Checking every row")
        PREVIEWED = "previewed", _("Checked: nothing imported yet")
        QUEUED = "queued", _("Waiting for a worker to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        UNCHANGED = "unchanged", _("The file matches the data map: nothing to import")
        REFUSED = "refused", _("Refused: nothing was imported")
        FAILED = "failed", _("Failed: nothing was imported")

    winddown = models.ForeignKey(
        WindDown, models.CASCADE, related_name="+", verbose_name=_("wind-down")
    )
    requested_by = models.ForeignKey(
        Membership, models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    # Deleted once imported, or a day after it was refused: the audit trail keeps its SHA-256.
    file = models.FileField(_("file"), upload_to="inventory/imports/", blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    # A CSV file's text encoding chosen by the user; empty: recognised when it is read.
    encoding = models.CharField(_("text encoding"), max_length=20, blank=True)
    # The language of the page the file was uploaded from: the worker words the report in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("data map import")
        verbose_name_plural = _("data map imports")

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse(
            "inventory:datamap-import-job", kwargs={"slug": self.winddown.slug, "pk": self.pk}
        )


class HoldingTally(models.Model):
    """Holdings and their records per department, category and subject jurisdiction, kept exact
    by the database: the dashboard's roll-up reads these few hundred rows, not every holding.

    On PostgreSQL, statement triggers on inventory_holding (and on inventory_datasystem, when a
    system changes department) add each statement's net change here in the writer's transaction
    (inventory 0005), so the figures always equal a recount. Rows whose holdings fall to zero
    stay (readers skip them). SQLite has no such triggers: there the roll-up counts the holdings.
    """

    # no foreign-key constraints: a wind-down's or category's holdings go first, and their
    # triggers bring these rows to zero
    winddown = models.ForeignKey(
        WindDown,
        models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("wind-down"),
    )
    department = models.CharField(_("department"), max_length=100)
    category = models.ForeignKey(
        DataCategory,
        models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("category"),
    )
    jurisdiction = models.CharField(_("subject jurisdiction"), max_length=10)
    holdings = models.BigIntegerField(_("holdings"), default=0)
    records = models.BigIntegerField(_("records (total)"), default=0)

    class Meta:
        verbose_name = _("holding tally")
        verbose_name_plural = _("holding tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["winddown", "department", "category", "jurisdiction"],
                name="holding_tally_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.category_id} · {self.jurisdiction}: {self.holdings}"

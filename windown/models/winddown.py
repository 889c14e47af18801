from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from windown.roles import Role


class CompanyForm(models.TextChoices):
    CN_LLC = "CN_LLC", _("China: limited liability company (有限责任公司)")
    CN_JSC = "CN_JSC", _("China: joint-stock company (股份有限公司)")
    DE_GMBH = "GmbH", _("Germany: GmbH")
    DE_AG = "AG", _("Germany: AG")
    UK_LTD = "UK_company", _("United Kingdom: company (Ltd/plc)")
    JP_KK = "KK", _("Japan: kabushiki kaisha")
    US_LLC = "US_LLC", _("United States: LLC")
    US_CORP = "US_corporation", _("United States: corporation")
    SOLE_TRADER = "sole_trader", _("Sole trader")
    OTHER = "other", _("Other")


class TaxRegistration(models.TextChoices):
    EU_OSS = "EU_OSS", _("EU One-Stop Shop (OSS)")
    EU_IOSS = "EU_IOSS", _("EU Import One-Stop Shop (IOSS)")
    DE_VAT = "DE_VAT", _("German VAT")
    FR_VAT = "FR_VAT", _("French VAT")
    GB_VAT = "GB_VAT", _("UK VAT")
    JP_CT = "JP_CT", _("Japanese consumption tax")
    US = "US", _("US sales tax")
    CN_VAT = "CN_VAT", _("Chinese VAT")


class WindDown(models.Model):
    """One engagement: a company winding down, with its key dates."""

    class Status(models.TextChoices):
        PLANNING = "planning", _("Planning")
        ACTIVE = "active", _("In progress")
        CLOSED = "closed", _("Closed")

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    company_legal_name = models.CharField(_("company legal name"), max_length=200)
    company_local_name = models.CharField(
        _("company name (local script)"), max_length=200, blank=True
    )
    registration_country = CountryField(_("registration country"))
    company_form = models.CharField(_("company form"), max_length=20, choices=CompanyForm.choices)
    tax_registrations = models.JSONField(_("tax registrations"), default=list, blank=True)
    fiscal_year_end_month = models.PositiveSmallIntegerField(
        _("fiscal year ends (month)"), default=12
    )
    fiscal_year_end_day = models.PositiveSmallIntegerField(_("fiscal year ends (day)"), default=31)
    decision_date = models.DateField(_("wind-down decision date"), null=True, blank=True)
    customer_notice_date = models.DateField(_("customer notice date"), null=True, blank=True)
    operations_end_date = models.DateField(_("operations end"), null=True, blank=True)
    deletion_deadline = models.DateField(_("deletion deadline"))
    certificate_retention_years = models.PositiveSmallIntegerField(
        _("certificate retention (years)"), default=5
    )
    notice_lead_days = models.PositiveSmallIntegerField(_("notice lead time (days)"), default=30)
    support_email = models.EmailField(_("support email"), blank=True)
    support_phone = models.CharField(_("support phone"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["company_legal_name"]
        verbose_name = _("wind-down")
        verbose_name_plural = _("wind-downs")
        constraints = [
            models.CheckConstraint(
                condition=Q(fiscal_year_end_month__gte=1, fiscal_year_end_month__lte=12)
                & Q(fiscal_year_end_day__gte=1, fiscal_year_end_day__lte=31),
                name="winddown_fiscal_year_end_valid",
            ),
            models.CheckConstraint(
                condition=Q(certificate_retention_years__gte=5),
                name="winddown_certificate_retention_at_least_5y",
            ),
        ]

    def __str__(self) -> str:
        return self.company_legal_name

    def get_absolute_url(self) -> str:
        return reverse("windown:winddown-detail", kwargs={"slug": self.slug})


class Membership(models.Model):
    """A user's role in one wind-down; a custodian's membership names their department."""

    winddown = models.ForeignKey(
        WindDown, models.CASCADE, related_name="memberships", verbose_name=_("wind-down")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    department = models.CharField(_("department"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["winddown", "role", "user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["winddown", "user"], name="membership_one_per_user"),
            models.CheckConstraint(
                condition=~Q(role=Role.CUSTODIAN) | ~Q(department=""),
                name="membership_custodian_has_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.winddown}"

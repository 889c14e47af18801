from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from windown.headers import HeaderAddressValidator, validate_header_text
from windown.roles import Role


class CompanyForm(models.TextChoices):
    """Company forms the retention rules distinguish (same codes as compliance.engine)."""

    CN_ENTERPRISE = "CN_enterprise", _("China: enterprise (有限责任公司 / 股份有限公司 / WFOE)")
    DE_GMBH = "GmbH", _("Germany: GmbH")
    DE_UG = "UG", _("Germany: UG (haftungsbeschränkt)")
    DE_AG = "AG", _("Germany: AG")
    FR_SAS = "SAS", _("France: SAS")
    FR_SARL = "SARL", _("France: SARL")
    UK_LTD = "UK_ltd", _("United Kingdom: private limited company")
    UK_PLC = "UK_plc", _("United Kingdom: public limited company")
    JP_KK = "KK", _("Japan: kabushiki kaisha (株式会社)")
    JP_GK = "GK", _("Japan: godo kaisha (合同会社)")
    US_CORP = "US_corporation", _("United States: corporation")
    US_LLC = "US_llc", _("United States: LLC")
    OTHER = "other", _("Other")


class TaxRegistration(models.TextChoices):
    """Tax registrations that bring in retention duties (same codes as compliance.engine)."""

    EU_OSS = "EU_OSS", _("EU VAT One-Stop Shop (OSS)")
    EU_IOSS = "EU_IOSS", _("EU VAT Import One-Stop Shop (IOSS)")
    DE_VAT = "DE_VAT", _("German VAT")
    DE_CT = "DE_CT", _("German corporate income / trade tax")
    FR_VAT = "FR_VAT", _("French VAT (TVA)")
    FR_CT = "FR_CT", _("French corporate income tax")
    GB_VAT = "GB_VAT", _("UK VAT")
    GB_CT = "GB_CT", _("UK corporation tax")
    US_IT = "US_IT", _("US federal income tax")
    US_CA_FTB = "US_CA_FTB", _("California franchise / income tax")
    JP_CT = "JP_CT", _("Japanese corporation tax (blue return)")
    JP_QII = "JP_QII", _("Japanese qualified invoice issuer (consumption tax)")
    CN_TAX = "CN_TAX", _("Chinese tax registration (税务登记)")


class CompanyAttribute(models.TextChoices):
    """Declared facts some retention duties depend on (same codes as compliance.engine)."""

    LIQUIDATION = "liquidation", _("The company itself is being liquidated")
    US_INCOME_UNDERSTATED = (
        "US_income_understated_25pct",
        _("A US return omitted more than a quarter of gross income"),
    )
    US_BAD_DEBT = (
        "US_bad_debt_deduction",
        _("A US return claimed a bad-debt or worthless-securities loss"),
    )
    JP_LOSS_CARRYFORWARD = "JP_loss_carryforward", _("A Japanese loss year is carried forward")
    CN_PLATFORM_OPERATOR = (
        "CN_platform_operator",
        _("The company operates a Chinese e-commerce platform"),
    )


class WindDown(models.Model):
    """One engagement: a company winding down, with its key dates."""

    class Status(models.TextChoices):
        PLANNING = "planning", _("Planning")
        ACTIVE = "active", _("In progress")
        CLOSED = "closed", _("Closed")

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    company_legal_name = models.CharField(
        _("company legal name"), max_length=200, validators=[validate_header_text]
    )
    company_local_name = models.CharField(
        _("company name (local script)"),
        max_length=200,
        blank=True,
        validators=[validate_header_text],
    )
    registration_country = CountryField(_("registration country"))
    company_form = models.CharField(_("company form"), max_length=20, choices=CompanyForm.choices)
    tax_registrations = models.JSONField(_("tax registrations"), default=list, blank=True)
    company_attributes = models.JSONField(_("declared company facts"), default=list, blank=True)
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
    support_email = models.EmailField(
        _("support email"), blank=True, validators=[HeaderAddressValidator()]
    )
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
        return reverse("dashboard:home", kwargs={"slug": self.slug})


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

"""The demo data map of Shenzhen Lumen Electronics: ~25 systems, a few hundred holdings.

Each department's custodian imports their part of the data map, IT records the devices'
make and serial numbers, Finance and Customer Service attest, Marketing attested and then
changed a count (so it shows "changed since attested"), and Sales has not attested — the
5,000 customers on the sales laptops were declared late.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from inventory import services
from inventory.services.datamap import datamap_import_rows
from windown.models import Membership, WindDown

DOMAIN = "lumen-electronics.example"
IT = f"it@{DOMAIN}"
CUSTODIANS = {
    "Sales": f"sales@{DOMAIN}",
    "Customer Service": f"cs@{DOMAIN}",
    "Marketing": f"marketing@{DOMAIN}",
    "Finance": f"finance@{DOMAIN}",
}
EU = ["DE", "FR", "NL", "IT", "ES", "PL", "SE"]
ALL_MARKETS = [*EU, "GB", "US", "US-CA", "JP", "CN", "OTHER"]

# fmt: off
# name, kind, provider, region, storage country, department, custodian (default: the
# department's), source, categories, subject jurisdictions, records per jurisdiction (roughly)
SYSTEMS = [
    ("Order database (Aliyun RDS)", "database", "Aliyun", "cn-shenzhen", "CN", "Sales", IT,
     "order", ["commerce.order", "user.name", "user.contact.address",
               "user.contact.phone_number", "user.financial.card_last4"], ALL_MARKETS, 12000),
    ("Shopify store", "saas", "Shopify", "us-central1", "US", "Sales", None, "registration",
     ["user.account.username", "user.contact.email", "user.authorization.password",
      "user.behavior.purchase_history"], ALL_MARKETS, 9000),
    ("Amazon Seller Central (EU)", "saas", "Amazon", "eu-west-1", "IE", "Sales", None, "order",
     ["commerce.order", "user.contact.address"], EU, 4000),
    ("Sales laptop — Zhang Qiang (customer spreadsheets)", "laptop", "", "", "CN", "Sales",
     None, "import", ["user.name", "user.contact.email", "user.contact.phone_number",
                      "commerce.order"], ["DE", "FR", "GB", "US"], 1250),
    ("Sales laptop — Li Na", "laptop", "", "", "CN", "Sales", None, "import",
     ["user.name", "user.contact.email"], ["JP", "CN", "US-CA"], 800),
    ("USB backup drive (sales exports)", "removable_media", "", "", "CN", "Sales", None,
     "import", ["user.name", "user.contact.email", "commerce.order"], ["DE", "FR", "US"], 2000),
    ("Personal Gmail (supplier and customer mail)", "mailbox", "Google", "", "US", "Sales",
     None, "other", ["commerce.business_letter", "user.contact.email"],
     ["DE", "GB", "US", "OTHER"], 350),
    ("WeChat chat exports", "chat_export", "Tencent", "", "CN", "Sales", None, "support",
     ["commerce.support_chat", "user.name"], ["CN", "OTHER"], 600),
    ("HubSpot CRM", "saas", "HubSpot", "eu1", "DE", "Sales", None, "marketing",
     ["user.name", "user.contact.email", "user.contact.phone_number"], [*EU, "GB", "US"], 1500),
    # the storefront's chat widget, where Sales answers pre-sales questions (the four markets
    # whose shops it was on); its processor deleted everything (destruction's demo)
    ("Tidio live chat (storefront)", "saas", "Tidio", "eu-central-1", "DE", "Sales", None,
     "support", ["commerce.support_chat", "user.name", "user.contact.email"],
     ["DE", "FR", "ES", "GB"], 600),
    ("Zendesk support", "saas", "Zendesk", "us-east-1", "US", "Customer Service", None,
     "support", ["commerce.support_chat", "user.contact.email", "user.name"], ALL_MARKETS, 3000),
    ("Support shared mailbox", "mailbox", "Aliyun Mail", "cn-hangzhou", "CN",
     "Customer Service", None, "support", ["commerce.support_chat", "user.contact.email"],
     ALL_MARKETS, 900),
    ("WhatsApp Business chat exports", "chat_export", "Meta", "", "US", "Customer Service",
     None, "support", ["commerce.support_chat", "user.contact.phone_number"], [*EU, "GB"], 400),
    ("Returns and RMA spreadsheet", "file_share", "Aliyun Drive", "cn-shenzhen", "CN",
     "Customer Service", None, "support", ["commerce.order", "user.contact.address"],
     ["DE", "FR", "GB", "US"], 700),
    ("Privacy request log", "file_share", "Aliyun Drive", "cn-shenzhen", "CN",
     "Customer Service", None, "support", ["commerce.consumer_request_log"],
     [*EU, "US-CA"], 40),
    ("Mailchimp", "saas", "Mailchimp", "us-east-1", "US", "Marketing", None, "marketing",
     ["user.contact.email", "commerce.marketing_profile"], ALL_MARKETS, 15000),
    ("Google Analytics", "saas", "Google", "", "US", "Marketing", None, "marketing",
     ["user.behavior.browsing_history", "user.device.ip_address"], ALL_MARKETS, 40000),
    ("Site search logs", "database", "Aliyun", "cn-shenzhen", "CN", "Marketing", IT,
     "marketing", ["user.behavior.search_history"], ALL_MARKETS, 20000),
    ("Facebook custom audiences", "saas", "Meta", "", "US", "Marketing", None, "marketing",
     ["commerce.marketing_profile"], [*EU, "GB", "US"], 6000),
    ("Trade-fair sign-up sheets", "paper", "", "", "DE", "Marketing", None, "marketing",
     ["user.name", "user.contact.email"], ["DE", "FR", "NL"], 150),
    ("Finance ERP (Kingdee Cloud)", "database", "Kingdee", "cn-shenzhen", "CN", "Finance", IT,
     "order", ["commerce.invoice", "commerce.accounting_voucher", "user.name"],
     ALL_MARKETS, 11000),
    ("Paper invoice archive (Shenzhen office)", "paper", "", "", "CN", "Finance", None,
     "order", ["commerce.invoice"], ["CN", "DE", "FR"], 3000),
    ("Payment processor (Stripe)", "saas", "Stripe", "eu-west-1", "IE", "Finance", None,
     "order", ["commerce.payment", "user.financial.card_last4"],
     [*EU, "GB", "US", "US-CA"], 7000),
    ("Alipay merchant account", "saas", "Alipay", "cn-hangzhou", "CN", "Finance", None,
     "order", ["commerce.payment"], ["CN", "JP"], 5000),
    ("Nightly database backups (OSS)", "backup", "Aliyun", "cn-shenzhen", "CN", "Finance", IT,
     "other", ["commerce.order", "commerce.invoice", "user.contact.email"], ALL_MARKETS, 12000),
    ("Accountant's laptop", "laptop", "", "", "CN", "Finance", None, "import",
     ["commerce.invoice", "user.financial.bank_account"], ["CN", "DE"], 500),
]
# name -> make, model, serial number, asset number
DEVICES = {
    "Sales laptop — Zhang Qiang (customer spreadsheets)":
        ("Lenovo", "ThinkPad T14 Gen 3", "PF3K9Q2L", "LUM-IT-0142"),
    "Sales laptop — Li Na": ("Apple", "MacBook Air M2", "C02HX1Y2Q6L4", "LUM-IT-0157"),
    "USB backup drive (sales exports)":
        ("SanDisk", "Extreme Portable SSD 1TB", "22113Q456789", "LUM-IT-0201"),
    "Accountant's laptop": ("Huawei", "MateBook 14", "HWMB14-7Z8X", "LUM-IT-0119"),
}
# fmt: on
FIELDS = {
    "commerce.order": ["order_no", "items", "total", "shipping_address"],
    "commerce.invoice": ["invoice_no", "buyer_name", "vat_id", "amount"],
    "commerce.payment": ["payment_id", "amount", "currency"],
    "commerce.support_chat": ["ticket_id", "messages"],
}


def _rows(department: str) -> list[dict]:
    rng = random.Random(f"lumen-{department}")  # deterministic demo figures  # nosec B311 # deterministic demo figures, not security
    rows = []
    for name, kind, provider, region, country, dept, custodian, source, *rest in SYSTEMS:
        categories, markets, size = rest
        if dept != department:
            continue
        system = {
            "system": name,
            "system_kind": kind,
            "provider": provider,
            "region": region,
            "storage_country": country,
            "department": dept,
            "custodian_email": custodian or CUSTODIANS[dept],
        }
        for key, market in ((k, m) for k in categories for m in markets):
            total = max(5, int(size * rng.uniform(0.3, 1.2)))
            active = int(total * rng.uniform(0.1, 0.6))
            oldest = dt.date(rng.randint(2016, 2021), rng.randint(1, 12), rng.randint(1, 28))
            newest = dt.date(2026, rng.randint(8, 10), rng.randint(1, 28))
            rows.append(
                {
                    **system,
                    "category": key,
                    "source": source,
                    "jurisdiction": market,
                    "records_total": total,
                    "records_active": active,
                    "records_dormant": total - active,
                    "oldest_record": oldest.isoformat(),
                    "newest_record": newest.isoformat(),
                    "fields": "; ".join(FIELDS.get(key, [])),
                    "notes": "",
                }
            )
    return rows


@transaction.atomic
def load(winddown: WindDown, members: dict[str, Membership]) -> None:
    """Create the demo data map once; a wind-down that already has systems is left alone."""
    services.taxonomy_seed(winddown=winddown)
    if winddown.data_systems.exists():
        return
    for department, email in CUSTODIANS.items():
        label = f"datamap-{department.lower().replace(' ', '-')}.xlsx"
        report = datamap_import_rows(by=members[email], rows=_rows(department), label=label)
        assert report.ok, report.problems[:5]  # the demo must be valid  # nosec B101 # a guard on shipped demo data, not a security check
    for name, (make, model, serial, asset) in DEVICES.items():
        system = winddown.data_systems.get(name=name)
        services.system_update(
            by=members[IT],
            system=system,
            make=make,
            model=model,
            serial_number=serial,
            asset_number=asset,
        )
    for name in ("Order database (Aliyun RDS)", "Finance ERP (Kingdee Cloud)", "Zendesk support"):
        services.system_status_change(
            by=members[IT], system=winddown.data_systems.get(name=name), status="verified"
        )
    for department in ("Finance", "Customer Service", "Marketing"):
        services.attestation_sign(by=members[CUSTODIANS[department]], department=department)
    # Marketing re-counted Mailchimp after signing: its attestation is now out of date.
    mailchimp = winddown.holdings.filter(
        system__name="Mailchimp", category__key="commerce.marketing_profile", jurisdiction="DE"
    ).get()
    services.holding_update(
        by=members[CUSTODIANS["Marketing"]],
        holding=mailchimp,
        records_total=mailchimp.records_total + 1200,
        notes="Re-counted after the November campaign export.",
    )

"""The spreadsheet's columns, their Chinese aliases, and cell neutralisation against formulas."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

COLUMNS = (
    "system",
    "system_kind",
    "provider",
    "region",
    "storage_country",
    "department",
    "custodian_email",
    "category",
    "source",
    "jurisdiction",
    "records_total",
    "records_active",
    "records_dormant",
    "oldest_record",
    "newest_record",
    "fields",
    "notes",
)
COUNT_COLUMNS = ("records_total", "records_active", "records_dormant")
DATE_COLUMNS = ("oldest_record", "newest_record")

# Header names a Chinese data map may use; the English names are always accepted.
ALIASES = {
    "system": ("系统", "系统名称", "数据系统"),
    "system_kind": ("系统类型", "类型"),
    "provider": ("服务商", "托管服务商", "云服务商"),
    "region": ("区域", "地域", "托管区域"),
    "storage_country": ("存储国家", "存储国家/地区", "存储地"),
    "department": ("部门", "所属部门"),
    "custodian_email": ("负责人邮箱", "保管人邮箱", "负责人"),
    "category": ("数据类别", "类别", "数据类型"),
    "source": ("来源", "数据来源"),
    "jurisdiction": ("司法辖区", "管辖地", "用户所在地", "司法管辖区"),
    "records_total": ("记录总数", "总记录数"),
    "records_active": ("活跃记录数", "活跃记录"),
    "records_dormant": ("休眠记录数", "休眠记录"),
    "oldest_record": ("最早记录日期", "最早记录"),
    "newest_record": ("最新记录日期", "最新记录"),
    "fields": ("字段", "包含字段"),
    "notes": ("备注", "说明"),
}
HEADER_NAMES = {name: name for name in COLUMNS} | {
    alias: name for name, aliases in ALIASES.items() for alias in aliases
}

HELP = {
    "system": _("Name of the system; rows with the same name describe the same system."),
    "system_kind": _("One of the system kinds listed below."),
    "provider": _("Hosting provider, e.g. Aliyun, AWS, Shopify (optional)."),
    "region": _("Hosting region, e.g. cn-shenzhen (optional)."),
    "storage_country": _("ISO country code where the data is stored (optional)."),
    "department": _("Owning department."),
    "custodian_email": _("Email of the member responsible for the system (optional)."),
    "category": _("A data-category key, e.g. user.contact.email."),
    "source": _("How the data was collected: one of the sources listed below."),
    "jurisdiction": _("Where the data subjects are: ISO country code, US-CA or OTHER."),
    "records_total": _("Number of records (whole number)."),
    "records_active": _("Of which active (optional, default 0)."),
    "records_dormant": _("Of which dormant (optional, default 0)."),
    "oldest_record": _("Date of the oldest record, YYYY-MM-DD (optional)."),
    "newest_record": _("Date of the newest record, YYYY-MM-DD (optional)."),
    "fields": _("Field names the records contain, separated by semicolons (optional)."),
    "notes": _("Free text (optional)."),
}

FIELD_SEPARATORS = ";,\uff1b\uff0c\u3001"  # ; , and the Chinese semicolon, comma, 、


def split_fields(value: str) -> list[str]:
    """Split a `fields` cell on (Chinese or ASCII) semicolons or commas; drop repeats."""
    for separator in FIELD_SEPARATORS[1:]:
        value = value.replace(separator, ";")
    return list(dict.fromkeys(part.strip() for part in value.split(";") if part.strip()))


def join_fields(fields: list[str]) -> str:
    return "; ".join(fields)

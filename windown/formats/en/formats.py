"""Dates in English: ISO 8601 everywhere (2026-12-31), the form legal and auditors read
without ambiguity across the jurisdictions a wind-down spans. Chinese uses 2026年12月31日
(Django's zh_Hans formats, kept in windown/formats/zh_Hans)."""

from django.conf.locale.en.formats import *  # noqa: F403

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"

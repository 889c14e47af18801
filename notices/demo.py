"""Demo data of the notices phase: customers in six languages, a draft campaign, requests.

The open-order report opens a matter in compliance (PP-<id>) over the Japanese customers'
order data, so those decisions are proposed again: retained until the order is settled.
"""

from __future__ import annotations

import io

from django.db import transaction

from notices.models import Campaign, Recipient, SubjectRequest
from notices.services.campaigns import campaign_create
from notices.services.importing import recipients_import
from notices.services.requests import request_submit
from windown.models import Membership, WindDown

SUPPORT = "support@lumen-electronics.example"
CUSTOMERS = [
    # email, name, language, jurisdiction, customer_ref, has_open_order
    ("emma.wilson@example.co.uk", "Emma Wilson", "en", "GB", "LM-100231", "no"),
    ("james.taylor@example.com", "James Taylor", "en", "US-CA", "LM-100232", "yes"),
    ("olivia.brown@example.com.au", "Olivia Brown", "en", "AU", "LM-100233", "no"),
    ("liam.murphy@example.ie", "Liam Murphy", "en", "IE", "LM-100234", "no"),
    ("sophia.martinez@example.com", "Sophia Martinez", "en", "US-CA", "LM-100235", "no"),
    ("noah.smith@example.ca", "Noah Smith", "en", "CA", "LM-100236", "no"),
    ("juergen.mueller@example.de", "Jürgen Müller", "de", "DE", "LM-200101", "yes"),
    ("anna.schmidt@example.de", "Anna Schmidt", "de", "DE", "LM-200102", "no"),
    ("lukas.weber@example.at", "Lukas Weber", "de", "AT", "LM-200103", "no"),
    ("marie.fischer@example.ch", "Marie Fischer", "de", "CH", "LM-200104", "no"),
    ("felix.wagner@example.de", "Felix Wagner", "de", "DE", "LM-200105", "no"),
    ("lea.becker@example.de", "Lea Becker", "de", "DE", "LM-200106", "no"),
    ("amelie.dubois@example.fr", "Amélie Dubois", "fr", "FR", "LM-300201", "no"),
    ("hugo.lefevre@example.fr", "Hugo Lefèvre", "fr", "FR", "LM-300202", "yes"),
    ("chloe.moreau@example.be", "Chloé Moreau", "fr", "BE", "LM-300203", "no"),
    ("louis.girard@example.fr", "Louis Girard", "fr", "FR", "LM-300204", "no"),
    ("camille.roux@example.ca", "Camille Roux", "fr", "CA", "LM-300205", "no"),
    ("ines.fournier@example.fr", "Inès Fournier", "fr", "FR", "LM-300206", "no"),
    ("hanako.yamada@example.jp", "山田 花子", "ja", "JP", "LM-400301", "no"),
    ("taro.suzuki@example.jp", "鈴木 太郎", "ja", "JP", "LM-400302", "yes"),
    ("yui.takahashi@example.jp", "高橋 結衣", "ja", "JP", "LM-400303", "no"),
    ("ren.tanaka@example.jp", "田中 蓮", "ja", "JP", "LM-400304", "no"),
    ("sakura.ito@example.jp", "伊藤 さくら", "ja", "JP", "LM-400305", "no"),
    ("haruto.watanabe@example.jp", "渡辺 陽翔", "ja", "JP", "LM-400306", "no"),
    ("wang.xiaoming@example.cn", "王小明", "zh-hans", "CN", "LM-500401", "no"),
    ("li.na@example.cn", "李娜", "zh-hans", "CN", "LM-500402", "yes"),
    ("zhang.wei@example.cn", "张伟", "zh-hans", "CN", "LM-500403", "no"),
    ("liu.fang@example.sg", "刘芳", "zh-hans", "SG", "LM-500404", "no"),
    ("chen.jie@example.cn", "陈杰", "zh-hans", "CN", "LM-500405", "no"),
    ("zhao.lei@example.cn", "赵磊", "zh-hans", "CN", "LM-500406", "no"),
    ("jose.nunez@example.es", "José Núñez", "es", "ES", "LM-600501", "no"),
    ("lucia.garcia@example.es", "Lucía García", "es", "ES", "LM-600502", "yes"),
    ("mateo.lopez@example.mx", "Mateo López", "es", "MX", "LM-600503", "no"),
    ("sofia.hernandez@example.com", "Sofía Hernández", "es", "US-CA", "LM-600504", "no"),
    ("diego.martin@example.es", "Diego Martín", "es", "ES", "LM-600505", "no"),
    ("valentina.ruiz@example.ar", "Valentina Ruiz", "es", "AR", "LM-600506", "no"),
]
REQUESTS = [
    (
        "taro.suzuki@example.jp",
        "open_order",
        "返品した注文 LM-400302-5 の返金がまだ届いていません。",
    ),
    ("li.na@example.cn", "export", "请把我的全部个人数据副本发给我。"),
    ("james.taylor@example.com", "question", "Will you keep my card number after you close?"),
]


def _csv() -> io.BytesIO:
    lines = ["email,name,language,jurisdiction,customer_ref,has_open_order"]
    lines += [",".join(row) for row in CUSTOMERS]
    return io.BytesIO(("\n".join(lines) + "\n").encode("utf-8"))


@transaction.atomic
def load(winddown: WindDown, members: dict[str, Membership]) -> None:
    """Create (once) the demo customers, one draft campaign and a few customer requests."""
    support = members[SUPPORT]
    if not Recipient.objects.filter(winddown=winddown).exists():
        recipients_import(by=support, file=_csv(), filename="lumen-customers.csv")
    if not Campaign.objects.filter(winddown=winddown).exists():
        campaign_create(by=support, name="Closure notice — all customers", rate_limit=20)
    if not SubjectRequest.objects.filter(winddown=winddown).exists():
        for email, kind, message in REQUESTS:
            recipient = Recipient.objects.get(winddown=winddown, email=email)
            request_submit(recipient=recipient, type=kind, message=message)

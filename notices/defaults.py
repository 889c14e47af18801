"""The shipped notice, written for this purpose in six languages (notice_texts/<language>.yaml).

Each language file holds the notice's parts; this module assembles them into the subject,
the text body and the HTML body a campaign starts with. The results are ordinary templates:
support staff may edit them per campaign, and they pass the same sandbox validation.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import yaml

TEXTS = Path(__file__).resolve().parent / "notice_texts"
PAGE_VARIABLES = (
    "company_name",
    "customer_name",
    "deletion_date",
    "due_date",
    "support_email",
    "support_phone",
    "retry_seconds",
    "appeal_until",
)
_JINJA = re.compile(r"({{.*?}}|{%.*?%})")


@cache
def _parts(language: str) -> dict[str, str]:
    with (TEXTS / f"{language}.yaml").open(encoding="utf-8") as file:
        return yaml.safe_load(file)


def _escape(source: str) -> str:
    """HTML-escape the literal text of a template source, leaving its Jinja tags alone."""
    return "".join(p if _JINJA.fullmatch(p) else html.escape(p) for p in _JINJA.split(source))


def _greeting(p: dict[str, str], escape=lambda s: s) -> str:
    return (
        f"{{% if customer_name %}}{escape(p['greeting'])}"
        f"{{% else %}}{escape(p['greeting_anonymous'])}{{% endif %}}"
    )


def _facts(p: dict[str, str], escape=lambda s: s) -> str:
    """What is kept until when for the customer's jurisdiction, from legal's approved decisions
    (the same facts as the personal page); nothing when none are approved yet."""
    return f"{{% if kept_facts %}} {escape(p['keep_facts'])}{{% endif %}}"


def _text(p: dict[str, str]) -> str:
    return "\n\n".join(
        [
            _greeting(p),
            p["thanks"],
            p["reason"],
            f"{p['delete_heading']}\n{p['delete']}",
            f"{p['keep_heading']}\n{p['keep']}{_facts(p)}",
            f"{p['rights_heading']}\n{p['rights']}\n{{{{ personal_link }}}}",
            p["contact"],
            p["close"],
            f"{p['signoff']}\n{{{{ company_name }}}}",
            f"--\n{p['footer']}\n",
        ]
    )


def _html(p: dict[str, str]) -> str:
    e = _escape
    button = (
        '<p><a href="{{ personal_link }}" style="display:inline-block;padding:10px 18px;'
        'background:#1f5f8b;color:#ffffff;text-decoration:none;border-radius:4px">'
        f"{e(p['link_label'])}</a></p>"
    )
    footer = e(p["footer"]).replace(
        "{{ unsubscribe_link }}", '<a href="{{ unsubscribe_link }}">{{ unsubscribe_link }}</a>'
    )
    body = "\n".join(
        [
            f"<p>{_greeting(p, e)}</p>",
            f"<p>{e(p['thanks'])}</p>",
            f"<p>{e(p['reason'])}</p>",
            f"<h3>{e(p['delete_heading'])}</h3>\n<p>{e(p['delete'])}</p>",
            f"<h3>{e(p['keep_heading'])}</h3>\n<p>{e(p['keep'])}{_facts(p, e)}</p>",
            f"<h3>{e(p['rights_heading'])}</h3>\n<p>{e(p['rights'])}</p>\n{button}",
            f"<p>{e(p['contact'])}</p>",
            f"<p>{e(p['close'])}</p>",
            f"<p>{e(p['signoff'])}<br>{{{{ company_name }}}}</p>",
            f'<hr>\n<p style="font-size:12px;color:#666666">{footer}</p>',
        ]
    )
    return (
        '<!doctype html>\n<html><body style="font-family:sans-serif;line-height:1.5;'
        f'max-width:640px">\n{body}\n</body></html>\n'
    )


def default_template(language: str) -> dict[str, str]:
    """Return the shipped notice in `language` as NoticeTemplate fields."""
    p = _parts(language)
    return {
        "language": language,
        "subject": p["subject"],
        "text_body": _text(p),
        "html_body": _html(p),
    }


def _receipt_text(p: dict[str, str], r: dict[str, str]) -> str:
    return "\n\n".join(
        [
            _greeting(p),
            r["intro"],
            f"{r['deleted_heading']}\n{{{{ deleted_facts }}}}.",
            f"{r['kept_heading']}\n"
            f"{{% if kept_facts %}}{{{{ kept_facts }}}}.{{% else %}}{r['kept_none']}{{% endif %}}",
            f"{r['proof_heading']}\n{r['proof']}\n{{{{ certificates }}}}",
            f"{r['appeal_heading']}\n{r['appeal']}\n{{{{ personal_link }}}}",
            p["contact"],
            f"{p['signoff']}\n{{{{ company_name }}}}\n",
        ]
    )


def _receipt_html(p: dict[str, str], r: dict[str, str]) -> str:
    e = _escape
    button = (
        '<p><a href="{{ personal_link }}" style="display:inline-block;padding:10px 18px;'
        'background:#1f5f8b;color:#ffffff;text-decoration:none;border-radius:4px">'
        f"{e(r['link_label'])}</a></p>"
    )
    kept = f"{{% if kept_facts %}}{{{{ kept_facts }}}}.{{% else %}}{e(r['kept_none'])}{{% endif %}}"
    body = "\n".join(
        [
            f"<p>{_greeting(p, e)}</p>",
            f"<p>{e(r['intro'])}</p>",
            f"<h3>{e(r['deleted_heading'])}</h3>\n<p>{{{{ deleted_facts }}}}.</p>",
            f"<h3>{e(r['kept_heading'])}</h3>\n<p>{kept}</p>",
            f"<h3>{e(r['proof_heading'])}</h3>\n<p>{e(r['proof'])}</p>\n"
            '<p style="white-space:pre-line">{{ certificates }}</p>',
            f"<h3>{e(r['appeal_heading'])}</h3>\n<p>{e(r['appeal'])}</p>\n{button}",
            f"<p>{e(p['contact'])}</p>",
            f"<p>{e(p['signoff'])}<br>{{{{ company_name }}}}</p>",
        ]
    )
    return (
        '<!doctype html>\n<html><body style="font-family:sans-serif;line-height:1.5;'
        f'max-width:640px">\n{body}\n</body></html>\n'
    )


def default_receipt(language: str) -> dict[str, str]:
    """Return the shipped completion receipt in `language` as NoticeTemplate fields."""
    p = _parts(language)
    r = p["receipt"]
    return {
        "language": language,
        "subject": r["subject"],
        "text_body": _receipt_text(p, r),
        "html_body": _receipt_html(p, r),
    }


def receipt_word(language: str, key: str) -> str:
    """A word of the receipt's facts in `language` (e.g. "deleted on")."""
    return _parts(language)["receipt"][key]


def page_texts(language: str, context: dict[str, str]) -> dict[str, str]:
    """The customer-facing page texts in `language`, rendered with `context` (plain strings)."""
    from notices.rendering import render_text

    values = {name: "" for name in PAGE_VARIABLES} | context
    return {key: render_text(source, values) for key, source in _parts(language)["page"].items()}


def category_labels(language: str) -> dict[str, str]:
    """Shipped names of the taxonomy's categories in `language`, for the personal page.

    The taxonomy names its categories in English and Chinese (legal may edit those per
    wind-down); the other languages of the notices ship their own names, by category key.
    """
    return _parts(language).get("categories", {})


def acknowledgement_texts(language: str, context: dict[str, str]) -> tuple[str, str]:
    """Subject and body of the email that confirms a customer's request, in `language`."""
    from notices.rendering import render_text

    texts = _parts(language)["acknowledgement"]
    return render_text(texts["subject"], context), render_text(texts["body"], context)


def request_label(language: str, kind: str) -> str:
    """The personal page's name of a request type (export, open_order, question, complaint)."""
    return _parts(language)["page"][kind]

"""Find English UI text in a page rendered in Simplified Chinese (issue 15).

`text_nodes(html)` reduces a page to what a person reads: its text nodes and the placeholder,
title, alt and aria-label attributes (scripts, styles and code blocks are not text).
`english_in(nodes, catalogue, words, data)` returns the nodes that are English UI text, by three
rules:

1. a text node that *is* the English of a catalogue entry with a Chinese translation: the
   template or code shows the msgid without translating it (a missing {% translate %} or
   gettext);
2. a text node with an English word of the UI's vocabulary (a word of some msgid) that is not
   user data: a string with no catalogue entry at all;
3. a text node that is the key of a model field's choice (`pending_second_approval`) where its
   label belongs.

User data is what the database holds (names, emails, systems, serials, notes): a text node equal
to a stored value, or made only of stored values, numbers, codes and addresses, is data.
"""

from __future__ import annotations

import gettext
import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils.translation import get_language_info

# Words that are the same in a Chinese UI: the language switcher's endonyms, the product's name,
# units and standard names (PDF, CSV, SHA-256, NIST SP 800-88, GDPR …) are left as they are.
NEUTRAL = {
    "en",
    "de",
    "fr",
    "ja",
    "es",
    "zh",
    "hans",
    "english",
    "deutsch",
    "français",
    "windown",
    "pdf",
    "csv",
    "xlsx",
    "json",
    "jsonl",
    "api",
    "sha",
    "nist",
    "sp",
    "gdpr",
    "dsgvo",
    "url",
    "smtp",
    "totp",
    "ca",
    "id",
    "ok",
    "age",
    "htmx",
    "pades",
    "utc",
    "kb",
    "mb",
    "gb",
    "ms",
}
# Each language named in itself (the language switcher, a notice's languages): on purpose.
ENDONYMS = {
    get_language_info(code)["name_local"] for code in ("en", "de", "fr", "ja", "zh-hans", "es")
}
SKIP_TAGS = {"script", "style", "code", "pre", "kbd", "samp", "template", "svg", "noscript"}
ATTRIBUTES = ("placeholder", "title", "alt", "aria-label")
DATA_LIKE = re.compile(
    r"[\w.+-]+@[\w.-]+"  # email addresses
    r"|https?://\S+|/[\w/.-]+"  # URLs and paths
    r"|\b[\w-]+\.(?:json|jsonl|csv|pdf|zip|txt|age|xlsx|log|yaml)\b"  # file names
    r"|\b[A-Z0-9]{2,}(?:[-_/.][A-Z0-9]+)*\b"  # codes: DE, WD-2026-0001, ISO dates' parts
    r"|\b[\w-]*\d[\w-]*\b"  # anything with a digit: serials, dates, counts, hashes
    r"|\b[a-z]+(?:_[a-z]+)+\b"  # identifiers a person typed (system keys)
)
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
PHRASE = re.compile(r"[A-Za-z][A-Za-z'\u2019 ,-]*[A-Za-z]")  # English words in a row
PAYLOAD = re.compile(r"[\w-]+: [^;]*(?:; [\w-]+: [^;]*)+")  # "key: value; key: value"
STRUCTURE = re.compile(r"\{[^{}]*\}|\[[^\[\]]*\]")
SEPARATORS = re.compile(r"; | · |: |, |\(|\)")
PUNCTUATION = " :·•\u2013\u2014|()[]«»\"'.,;!?*\u00d7→←↑↓"
WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]+")


def project_catalogue() -> dict[str, str]:
    """Every msgid of the project's zh_Hans catalogues with a Chinese translation."""
    entries = {}
    for mo in Path(settings.BASE_DIR).glob("*/locale/zh_Hans/LC_MESSAGES/django.mo"):
        with mo.open("rb") as file:
            catalog = gettext.GNUTranslations(file)._catalog
        for key, msgstr in catalog.items():
            msgid = key[0] if isinstance(key, tuple) else key
            msgid = msgid.split("\x04", 1)[-1]  # drop a context
            if msgid and msgstr and msgstr != msgid:
                entries[normalise(msgid)] = msgstr
    return entries


def normalise(text: str) -> str:
    return " ".join(text.split())


def vocabulary(catalogue: dict[str, str]) -> set[str]:
    """The English words the UI uses (words of its msgids), minus the neutral ones and those
    its Chinese keeps (a translation that leaves "Purge", "SaaS" or "Merkle" in English)."""
    words, kept = set(), set()
    for msgid, msgstr in catalogue.items():
        words |= {w.lower() for w in WORD.findall(re.sub(r"%\(\w+\)[sd]|\{\w+\}", " ", msgid))}
        kept |= {w.lower() for w in WORD.findall(msgstr)}
    return {w for w in words if len(w) > 1} - NEUTRAL - kept


def stored_values() -> set[str]:
    """Every text value the database holds (and its lines, and the keys and strings of JSON),
    normalised: what a page shows of it is user data, not UI text."""
    values: set[str] = set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN "
            "('text', 'character varying', 'jsonb', 'json', 'ARRAY')"
        )
        columns = defaultdict(list)
        for table, column in cursor.fetchall():
            columns[table].append(column)
        for table, names in columns.items():
            if table.startswith(("django_", "axes_")):
                continue
            for column in names:
                cursor.execute(f'SELECT DISTINCT "{column}"::text FROM "{table}" LIMIT 20000')
                for (value,) in cursor.fetchall():
                    if not value:
                        continue
                    values.add(normalise(value))
                    values.update(normalise(line) for line in value.splitlines())
                    if value[:1] in "[{":  # JSON: its strings, keys among them
                        values.update(re.findall(r'"((?:[^"\\]|\\.)*)"', value))
    values.discard("")
    return values


class _Text(HTMLParser):
    """Visible text nodes and the attributes a person reads, in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.nodes: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self.skipping += 1
        values = dict(attrs)
        for name in ATTRIBUTES:
            if values.get(name):
                self.nodes.append(values[name])
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.nodes.append(values["value"])

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.nodes.append(data)


def text_nodes(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return [normalise(node) for node in parser.nodes if normalise(node)]


def raw_choice_keys() -> set[str]:
    """The stored values of every model field's choices whose label differs ("pending_second_
    approval", "erasure_duty"): shown instead of their label, they are untranslated UI text."""
    from django.apps import apps

    keys = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or []:
                key = isinstance(value, str) and re.fullmatch(r"[a-z]+(?:_[a-z]+)*", value)
                if key and len(value) > 2 and value != str(label):  # (not language codes)
                    keys.add(value)
    return keys


def english_in(nodes: list[str], catalogue, words, data, keys=frozenset()) -> list[str]:
    """The text nodes that are English UI text (see the module's rules). `keys` are the
    choices' keys: stored, but never data to show."""
    data = data - keys
    found = []
    for node in nodes:
        if node in ENDONYMS:
            continue
        if node in keys:
            found.append(node)  # rule 3: a choice's key instead of its label
            continue
        if node in data or PAYLOAD.fullmatch(node):  # (an audit payload, shown as recorded)
            continue
        bare = node.strip(PUNCTUATION)
        if bare in catalogue or node in catalogue:
            found.append(node)  # rule 1: an untranslated msgid
            continue
        rest = _without_data(node, data)
        if any(part.strip() in keys for part in SEPARATORS.split(rest)):
            found.append(node)  # rule 3, within a line: "CRM · order · DE"
        elif _ui_words(DATA_LIKE.sub(" ", rest), words, CJK.search(node) is not None):
            found.append(node)  # rule 2: English words of the UI that no catalogue translates
    return found


def _without_data(node: str, data: set[str]) -> str:
    """The node with the stored values it shows blanked out (cut short by "…", or whole)."""
    rest = node
    if rest.endswith(("…", "...")):  # truncatechars: the longest tail that starts a value
        starts = [0] + [m.end() for m in SEPARATORS.finditer(rest)]
        for start in starts:
            if _truncated_data(rest[start:], data):
                rest = rest[:start]
                break
    for value in sorted((v for v in data if 3 <= len(v) <= 300 and v in rest), key=len)[::-1]:
        rest = rest.replace(value, " ")
    while STRUCTURE.search(rest):  # a dict or list shown as stored
        rest = STRUCTURE.sub(" ", rest)
    return " · ".join(" " if part.strip() in data else part for part in SEPARATORS.split(rest))


def _ui_words(text: str, words: set[str], mixed: bool) -> bool:
    """Whether the text reads as English UI: any word of the UI's vocabulary; in a node that is
    also Chinese, a phrase (three English words in a row, two of the vocabulary), since a
    translation may keep a technical term or a name in English."""
    if not mixed:
        return any(word.lower() in words for word in WORD.findall(text))
    for phrase in PHRASE.findall(text):
        found = WORD.findall(phrase)
        if len(found) >= 3 and sum(w.lower() in words for w in found) >= 2:
            return True
    return False


def _truncated_data(part: str, data: set[str]) -> bool:
    """A stored value cut short by the page (truncatechars: "…")."""
    if not part.endswith(("…", "...")):
        return False
    prefix = part.strip().removesuffix("...").removesuffix("…").strip()
    return len(prefix) >= 10 and any(value.startswith(prefix) for value in data)


def english_text_of(html: str) -> list[str]:
    """The English UI texts of a page in Chinese, by the module's rules, with the data the
    database holds now."""
    catalogue = project_catalogue()
    return english_in(
        text_nodes(html), catalogue, vocabulary(catalogue), stored_values(), raw_choice_keys()
    )

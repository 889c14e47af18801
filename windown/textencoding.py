"""Recognise the text encoding of an uploaded CSV file, preferring what Chinese users save.

Order: a byte-order mark (UTF-8, UTF-16, UTF-32); valid UTF-8; GB18030 when its characters are
the common ones of GB 2312 (Chinese Excel saves CSV in code page 936, GBK, which GB18030
decodes); another encoding only on strong evidence: nearly every character a common one in
that encoding (Big5, Shift-JIS) or isolated accented letters between ASCII (Windows-1252,
Latin-1). Korean (CP949) is never guessed: valid Korean bytes are valid GB18030 with common
hanzi, which is how a GBK data map was once read as Korean mojibake; a user with a Korean
file chooses it. Statistical detectors (charset-normalizer, chardet) are not used for this
reason. When nothing is certain the caller refuses the file and asks the user to choose.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# What a user may choose; "" is "recognise it". Names are Python codec names.
CHOICES = [
    ("", gettext_lazy("Recognise automatically")),
    ("utf-8", "UTF-8"),
    ("gb18030", gettext_lazy("GB18030 / GBK (Simplified Chinese)")),
    ("big5", gettext_lazy("Big5 (Traditional Chinese)")),
    ("shift_jis", gettext_lazy("Shift-JIS (Japanese)")),
    ("cp949", gettext_lazy("CP949 / EUC-KR (Korean)")),
    ("cp1252", gettext_lazy("Windows-1252 (Western European)")),
    ("latin-1", "ISO-8859-1 (Latin-1)"),
    ("utf-16", "UTF-16"),
]
CODECS = {code for code, _label in CHOICES if code}
LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-16": "UTF-16",
    "utf-32": "UTF-32",
    "utf-16-le": "UTF-16LE",
    "utf-16-be": "UTF-16BE",
    "gb18030": "GB18030",
    "big5": "Big5",
    "shift_jis": "Shift-JIS",
    "cp949": "CP949",
    "cp1252": "Windows-1252",
    "latin-1": "ISO-8859-1",
}
SAMPLE_BYTES = 1 << 16
COMMON_SHARE = 0.9  # share of a CJK candidate's characters that must be common ones
MIN_EVIDENCE = 4  # characters needed before a non-preferred encoding is believed


@dataclass(frozen=True)
class Detected:
    encoding: str  # a Python codec name
    how: str  # "bom", "utf-8", "detected", "chosen"

    @property
    def label(self) -> str:
        return LABELS.get(self.encoding, self.encoding)


def _decodes(sample: bytes, encoding: str, final: bool) -> str | None:
    try:
        return codecs.getincrementaldecoder(encoding)().decode(sample, final=final)
    except UnicodeDecodeError:
        return None


def _in_ranges(code: int, ranges) -> bool:
    return any(low <= code <= high for low, high in ranges)


# Byte ranges of the common characters of each CJK encoding: punctuation, full-width forms,
# kana, and the first-level (most frequent) ideographs or syllables.
_COMMON = {
    "gb18030": ("gb2312", ((0xA1A1, 0xA3FE), (0xB0A1, 0xF7FE))),
    "big5": ("big5", ((0xA140, 0xA3BF), (0xA440, 0xC67E))),
    "shift_jis": ("shift_jis", ((0x8140, 0x81FC), (0x829F, 0x8396), (0x889F, 0x9872))),
}


def _common_share(text: str, encoding: str) -> tuple[float, int]:
    """The share of non-ASCII characters that are common in `encoding`, and how many there are."""
    codec, ranges = _COMMON[encoding]
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return 0.0, 0
    common = 0
    for ch in wide:
        try:
            encoded = ch.encode(codec)
        except UnicodeEncodeError:
            continue
        if len(encoded) == 2 and _in_ranges(int.from_bytes(encoded, "big"), ranges):
            common += 1
    return common / len(wide), len(wide)


def _latin_evidence(sample: bytes) -> bool:
    """Accented letters stand alone between ASCII in Western text; CJK bytes come in pairs."""
    high = [i for i, byte in enumerate(sample) if byte > 0x7F]
    if len(high) < MIN_EVIDENCE:
        return False
    alone = sum(
        1
        for i in high
        if (i == 0 or sample[i - 1] < 0x80) and (i + 1 >= len(sample) or sample[i + 1] < 0x80)
    )
    text = sample.decode("cp1252", errors="replace")
    letters = sum(
        1
        for ch in text
        if ord(ch) > 0x7F
        and (ch.isalpha() or ch in "\u20ac\xa3\xb0\xa7\u2013\u2014\u2018\u2019\u201c\u201d\xab\xbb")
    )
    return alone / len(high) >= 0.8 and letters / len(high) >= 0.9


def detect(sample: bytes, *, final: bool = True) -> Detected | None:
    """Recognise the encoding of `sample` (a file's first bytes, or all of it if `final`)."""
    if sample.startswith(codecs.BOM_UTF8):
        return Detected("utf-8-sig", "bom")
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return Detected("utf-32", "bom")
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Detected("utf-16", "bom")
    nuls = sample.count(0)
    if nuls and nuls * 4 >= len(sample):  # ASCII in UTF-16 without a BOM: every other byte
        even = sample[0::2].count(0)
        guess = "utf-16-be" if even > nuls - even else "utf-16-le"
        if _decodes(sample, guess, final) is not None:
            return Detected(guess, "detected")
    if _decodes(sample, "utf-8", final) is not None:
        return Detected("utf-8", "utf-8")
    candidates = {}
    for encoding in _COMMON:
        text = _decodes(sample, encoding, final)
        if text is not None:
            candidates[encoding] = _common_share(text, encoding)
    gb_share, _count = candidates.get("gb18030", (0.0, 0))
    if gb_share >= COMMON_SHARE - 0.1:  # preferred: a lower bar than the others
        return Detected("gb18030", "detected")
    strong = [
        (share, encoding)
        for encoding, (share, count) in candidates.items()
        if encoding != "gb18030" and share >= COMMON_SHARE and count >= MIN_EVIDENCE
    ]
    if strong:
        return Detected(max(strong)[1], "detected")
    if _decodes(sample, "cp1252", final) is not None and _latin_evidence(sample):
        return Detected("cp1252", "detected")
    if _latin_evidence(sample):
        return Detected("latin-1", "detected")
    return None


def resolve(sample: bytes, chosen: str = "", *, final: bool = True) -> Detected:
    """The user's choice if any, else the recognised encoding; ValidationError if neither."""
    if chosen:
        if chosen not in CODECS:
            raise ValidationError(_("Unknown text encoding “%s”.") % chosen, code="encoding")
        if chosen == "utf-8" and sample.startswith(codecs.BOM_UTF8):
            return Detected("utf-8-sig", "chosen")
        return Detected(chosen, "chosen")
    detected = detect(sample, final=final)
    if detected is None:
        raise ValidationError(
            _(
                "The file's text encoding could not be recognised with certainty; nothing was "
                "imported. Choose its encoding, or save it as UTF-8 CSV or XLSX."
            ),
            code="encoding",
        )
    return detected


def undecodable(encoding: str, error: UnicodeDecodeError, where: str) -> ValidationError:
    """Say that the file is not `encoding` text, where; nothing was imported."""
    return ValidationError(
        _(
            "The file is not valid %(encoding)s text %(where)s (byte %(byte)s); nothing was "
            "imported. Choose its encoding, or save it as UTF-8."
        )
        % {
            "encoding": LABELS.get(encoding, encoding),
            "where": where,
            "byte": f"0x{error.object[error.start]:02x}",
        },
        code="encoding",
    )

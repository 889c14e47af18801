"""Text encodings of uploaded CSV files are recognised by evidence, never guessed wrongly.

Each case generates text of one kind (hypothesis), saves it in an encoding a user's program
would use, and checks what windown.textencoding recognises: the right encoding, or nothing
(then the user is asked to choose) — never another encoding that would import mojibake.
"""

import codecs
import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from windown.textencoding import detect, resolve


def _chars(encoding: str, first: int, last: int, trails=range(0xA1, 0xFF)) -> list[str]:
    found = []
    for lead in range(first >> 8, (last >> 8) + 1):
        for trail in trails:
            code = (lead << 8) | trail
            if first <= code <= last:
                with contextlib.suppress(UnicodeDecodeError):
                    found.append(bytes([lead, trail]).decode(encoding))
    return found


HANZI = _chars("gb2312", 0xB0A1, 0xD7F9)  # GB 2312 level 1: the 3,755 common hanzi
TRADITIONAL = _chars("big5", 0xA440, 0xC67E, trails=[*range(0x40, 0x7F), *range(0xA1, 0xFF)])
KANA = [chr(c) for c in range(0x3041, 0x3094)] + [chr(c) for c in range(0x30A1, 0x30F7)]
ACCENTED = list("àáâäçèéêëíîïñòóôöùúûüÿßÀÁÂÄÇÈÉÊËÍÎÏÑÒÓÔÖÙÚÛÜ")
ASCII_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8)


def cjk_csv(alphabet):
    """A CSV of 3-8 lines of CJK words and ASCII words, with at least 12 distinct characters
    (fewer could form valid UTF-8 by chance, and UTF-8 is preferred, as it must be)."""
    chars = st.lists(st.sampled_from(alphabet), min_size=12, max_size=60, unique=True)

    def build(draw_chars, ascii_words):
        words = ["".join(draw_chars[i : i + 3]) for i in range(0, len(draw_chars), 3)] + ascii_words
        lines = [",".join(words[i : i + 4]) for i in range(0, len(words), 4)]
        return "\n".join(lines) + "\n"

    return st.builds(build, chars, st.lists(ASCII_WORD, max_size=8))


def latin_word():
    return st.tuples(ASCII_WORD, st.sampled_from(ACCENTED), ASCII_WORD).map("".join)


LATIN_CSV = st.lists(
    st.lists(latin_word(), min_size=2, max_size=4).map(",".join), min_size=3, max_size=8
).map(lambda ls: "\n".join(ls) + "\n")


@settings(max_examples=60, deadline=None)
@given(text=cjk_csv(HANZI), encoding=st.sampled_from(["gbk", "gb18030", "gb2312"]))
def test_simplified_chinese_in_gbk_is_read_as_gb18030_never_korean(text, encoding):
    data = text.encode(encoding)
    detected = detect(data)
    assert detected is not None and detected.encoding == "gb18030"
    assert data.decode(detected.encoding) == text


@settings(max_examples=40, deadline=None)
@given(text=cjk_csv(TRADITIONAL))
def test_traditional_chinese_in_big5_is_read_as_big5(text):
    data = text.encode("big5")
    detected = detect(data)
    assert detected is not None and detected.encoding == "big5", detected
    assert data.decode(detected.encoding) == text


@settings(max_examples=40, deadline=None)
@given(text=cjk_csv(KANA + HANZI[:200]))
def test_japanese_in_shift_jis_is_read_as_shift_jis_or_refused(text):
    try:
        data = text.encode("shift_jis")
    except UnicodeEncodeError:
        return
    detected = detect(data)
    assert detected is None or data.decode(detected.encoding) == text, detected


@settings(max_examples=40, deadline=None)
@given(text=LATIN_CSV, encoding=st.sampled_from(["cp1252", "latin-1"]))
def test_western_text_in_latin_1_is_read_as_windows_1252(text, encoding):
    data = text.encode(encoding)
    detected = detect(data)
    assert detected is not None and data.decode(detected.encoding) == text


@settings(max_examples=40, deadline=None)
@given(text=st.one_of(cjk_csv(HANZI), LATIN_CSV, cjk_csv(KANA)))
def test_utf8_with_or_without_bom_and_utf16_with_bom_are_read_exactly(text):
    for data in (
        text.encode("utf-8"),
        codecs.BOM_UTF8 + text.encode("utf-8"),
        text.encode("utf-16"),  # with a BOM
        codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    ):
        detected = detect(data)
        decoded = data.decode(detected.encoding)
        assert decoded.lstrip("\ufeff") == text


@settings(max_examples=60, deadline=None)
@given(data=st.binary(min_size=1, max_size=400))
def test_whatever_the_bytes_the_encoding_named_decodes_them(data):
    detected = detect(data)
    if detected is not None:
        data.decode(detected.encoding)  # never names an encoding the bytes are not


def test_a_file_with_too_little_evidence_is_refused_and_the_user_may_choose():
    data = "name\ncafé\n".encode("cp1252")  # one accented letter: not strong evidence
    with pytest.raises(Exception, match="Choose its encoding"):
        resolve(data)
    assert resolve(data, "cp1252").encoding == "cp1252"


def test_a_choice_outside_the_list_is_refused():
    with pytest.raises(Exception, match="Unknown text encoding"):
        resolve(b"a,b\n", "rot13")

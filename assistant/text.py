"""Text normalisation shared by loading, checking and matching: whitespace, control characters, slang."""
from __future__ import annotations

import codecs
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator

_WS = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


def collapse_ws(text: str) -> str:
    """Whitespace runs become one space, so line breaks and spacing never decide a match."""
    return _WS.sub(" ", text).strip()


def collapse_ws_with_lines(text: str) -> tuple[str, list[int]]:
    """Like collapse_ws, plus the 1-based source line of every kept character."""
    out: list[str] = []
    lines: list[int] = []
    line = 1
    pending_line = 0  # where the whitespace run began; 0 when there is none
    for ch in text:
        if ch.isspace():
            if out and not pending_line:
                pending_line = line
        else:
            if pending_line:
                out.append(" ")
                lines.append(pending_line)
                pending_line = 0
            out.append(ch)
            lines.append(line)
        if ch == "\n":
            line += 1
    return "".join(out), lines


def strip_control(text: str) -> str:
    """Drop control and format characters (zero-width, bidi overrides, NUL...) that users paste by
    accident, and lone surrogates (half an emoji, an undecodable byte), which no encoder accepts."""
    return "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") else ch for ch in text
    )


def decode_line(raw: bytes) -> str:
    """One line of typed or piped input, whatever its encoding: UTF-8 (with or without a BOM), else
    UTF-16 when it is full of NULs, else Windows-1252 (curly quotes from Word), never an error."""
    if raw and raw.count(0) * 3 >= len(raw):
        # A line of BOM-less UTF-16 split at b"\n" may start with the NUL left of the last line's newline.
        return raw[len(raw) % 2:].decode("utf-16-le", errors="replace")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def input_lines(stream: Iterable[bytes]) -> Iterator[str]:
    """The lines of a byte stream (stdin), each decoded on its own so one bad line spoils nothing;
    a UTF-16 stream (it starts with its byte-order mark) is decoded as a whole."""
    lines = iter(stream)
    first = next(lines, None)
    if first is None:
        return
    if first[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        text = b"".join([first, *lines]).decode("utf-16", errors="replace")
        yield from text.splitlines()
        return
    for raw in itertools.chain([first], lines):
        if raw.strip(b"\x00"):
            yield decode_line(raw.rstrip(b"\n")).rstrip("\r")
        elif not raw.startswith(b"\x00"):
            yield ""  # a blank line; a lone NUL is the tail of BOM-less UTF-16's last newline


def clean_question(text: str) -> str:
    """A question as the engine reads it: control characters gone, whitespace collapsed."""
    return collapse_ws(strip_control(unicodedata.normalize("NFKC", text)))


_COURTESY = re.compile(r"^(?:thank you|thanks|many thanks|thank you for your (?:co-?operation|support|understanding|help|patience))"
                       r"(?: (?:very much|again))?[.!]*$", re.I)


def is_courtesy(sentence: str) -> bool:
    """A sentence that only thanks the reader ("Thank you."): no rule, nothing to ask about."""
    return bool(_COURTESY.match(sentence.strip()))


def count_of(n: int, noun: str) -> str:
    """'1 record', '3 records': a count with its noun, for anything said to a person."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


_LINK = re.compile(r"(?:https?://|www\.)\S+", re.I)


def only_links(text: str) -> bool:
    """Whether the message is nothing but web addresses (a link pasted with no question)."""
    return bool(_LINK.search(text)) and not has_words(_LINK.sub(" ", text))


def has_words(text: str) -> bool:
    """False for input with no letters or digits at all ('???', '...', emoji only)."""
    return any(ch.isalnum() for ch in text)


def mostly_latin(text: str) -> bool:
    """Whether most letters are Latin ones: English, or another language a Latin-script reader types,
    as opposed to Arabic, Urdu, Bengali, Cyrillic, Chinese... which the English model cannot read."""
    letters = [ch for ch in text if ch.isalpha()]
    latin = sum(unicodedata.name(ch, "").startswith("LATIN") for ch in letters)
    return not letters or latin * 2 >= len(letters)


def words(text: str) -> list[str]:
    """Lower-case word tokens, apostrophes kept inside words."""
    return _WORD.findall(text.lower())


def expand_slang(text: str, synonyms: dict[str, str]) -> str:
    """Rewrite informal words ('fb', 'pics', 'insta') into the words the policies use, in one pass
    (so a replacement is never rewritten again); longer keys win, so 'mobile phone' beats 'mobile'."""
    lowered = text.lower()
    if not synonyms:
        return lowered
    pattern = _slang_pattern(tuple(sorted(synonyms, key=len, reverse=True)))
    return pattern.sub(lambda m: synonyms[m.group(0)], lowered)


@functools.lru_cache(maxsize=8)
def _slang_pattern(keys: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![a-z0-9])")

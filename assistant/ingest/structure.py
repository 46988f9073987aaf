"""Finds a policy's title, section headings and statements in its extracted lines.

A statement (a future rule) is one bullet or one sentence. List items that only complete the
sentence before them ("There are several means of communication: · email · phone call ...")
stay with it. Every statement is a run of the source text with only whitespace changed, so the
loader's verbatim check holds by construction."""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.ingest.readers import Extracted, SourceLine
from assistant.text import collapse_ws, is_courtesy

_MARKER = re.compile(
    r"^(?:[·•▪‣◦●○■□➢►✓\-–—*]"          # bullet characters
    r"|\(?\d{1,2}[.)](?![\d.])"            # 1.  2)  (3)
    r"|\d{1,2}(?:\.\d{1,2})+\.?"           # 2.1  2.1.3 (section numbers)
    r"|\(?[a-z][.)](?![a-z.])"             # a)  b.  (c)
    r"|\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)[.)])\s+")
_NUMBERED = re.compile(r"^\(?\d")
_END = (".", "!", "?")
_NOT_HEADING_END = (".", ",", ";", ":", "!", "?")
_BREAK = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")
# ("etc." is left out: before a capital it ends a sentence, "… shaking etc. On occasions …")
_ABBREVIATIONS = {"e.g", "i.e", "mr", "mrs", "ms", "dr", "no", "st", "approx", "incl", "inc", "vs", "cf"}
# "Measles: 7 days from appearance of rash": a row of a table written as a list, one rule each.
_LABELLED = re.compile(r"^[^:.!?]{1,60}:\s+\S")
_RUNS_ON = re.compile(r"(?:[,\-–/]|\b(?:and|or|the|a|an|to|of|for|with|in|on|by|at|their|our|your))$", re.I)


@dataclass(frozen=True)
class Statement:
    """One rule's worth of policy wording, under the section heading it appears in."""

    section: str
    text: str


@dataclass(frozen=True)
class Structure:
    """What structure.parse found: the title (None if the document shows none), section names in
    order of appearance, and the statements."""

    title: str | None
    sections: tuple[str, ...]
    statements: tuple[Statement, ...]


@dataclass
class _Block:
    kind: str  # heading, title, item or para
    text: str  # the source wording, whitespace collapsed (an item keeps its marker)
    body: str = ""  # an item's wording without its marker
    lines: int = 1  # source lines it was written on (a paragraph may be hard-wrapped)

    @property
    def fragment(self) -> bool:
        """A list item that is not a sentence of its own ('email', 'a note in the diary')."""
        return self.completes(6)

    def completes(self, max_words: int = 12) -> bool:
        """A list item that reads as the end of a sentence rather than a sentence of its own."""
        body = self.body
        return self.kind == "item" and not _LABELLED.match(body) and (
            body[:1].islower() or (len(body.split()) <= max_words and not body.endswith(_END)))

    @property
    def address(self) -> bool:
        """Short lines without punctuation, such as "Piccadilly Gate / Store Street / M1 2WD": the rest
        of the contact details before them, not a rule of its own."""
        return (self.kind == "para" and self.lines >= 2 and len(self.text.split()) <= 4 * self.lines
                and not re.search(r"[.!?;:]", self.text))

    @property
    def label_row(self) -> bool:
        """A short line without a full stop that heads a list ("Disease/Illness: Minimum Exclusion Period")."""
        return self.kind == "para" and len(self.text.split()) <= 8 and not self.text.endswith(_NOT_HEADING_END)


def split_sentences(text: str) -> list[str]:
    """Sentences of collapsed text, not breaking after 'e.g.', 'Mrs.' or initials."""
    out, start = [], 0
    for match in _BREAK.finditer(text):
        before = text[start:match.start()].split()
        last = before[-1].lower().rstrip(".") if before else ""
        if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        out.append(text[start:match.end()].strip())
        start = match.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def _heading_like(body: str) -> bool:
    letters = [ch for ch in body if ch.isalpha()]
    if not letters or len(body) > 90 or len(body.split()) > 12:
        return False
    if body.isupper() and len(body.split()) <= 8:
        return True
    return letters[0].isupper() and not body.endswith(_NOT_HEADING_END)


def _fragment_line(text: str) -> bool:
    marker = _MARKER.match(text)
    return bool(marker) and _Block("item", text, text[marker.end():]).fragment or text[:1].islower()


def _classify(lines: tuple[SourceLine, ...], guess_headings: bool) -> list[SourceLine]:
    """Each line's kind: the format's word where it has one, else guessed from its shape and neighbours."""
    texts = [collapse_ws(line.text) for line in lines]
    out: list[SourceLine] = []
    for i, (line, text) in enumerate(zip(lines, texts)):
        if not text:
            out.append(SourceLine("", "blank"))
            continue
        if line.kind != "text":
            out.append(SourceLine(text, line.kind))
            continue
        prev = next((out[j] for j in range(i - 1, -1, -1) if out[j].kind != "blank"), None)
        after_break = prev is None or out[-1].kind == "blank" or prev.kind in ("item", "heading", "title") \
            or prev.text.endswith(_END + (":", ";", ")"))
        following = next((t for t in texts[i + 1:] if t), "")
        marker = _MARKER.match(text)
        body = text[marker.end():] if marker else text
        heading = (guess_headings and after_break and following and not following[:1].islower()
                   and _heading_like(body) and (not marker or _NUMBERED.match(text))
                   and not (marker and _MARKER.match(following)))
        if not heading and guess_headings and after_break and not marker and text.endswith(":") \
                and len(text.split()) <= 4 and following and not _fragment_line(following):
            heading = True  # a label such as "Aims:" heads what follows (unless a list completes it)
        if heading:
            out.append(SourceLine(text, "heading"))
        elif marker:
            out.append(SourceLine(text, "item"))
        else:
            out.append(SourceLine(text, "text"))
    return out


def _blocks(lines: list[SourceLine]) -> list[_Block]:
    """Headings, items (with their wrapped continuation lines) and paragraphs."""
    blocks: list[_Block] = []
    previous = "blank"
    for line in lines:
        kind, text = line.kind, line.text
        if kind == "blank":
            previous = "blank"
            continue
        last = blocks[-1] if blocks else None
        if kind == "text" and last and previous in ("item", "text") and last.kind == "item" \
                and (text[:1].islower() or _RUNS_ON.search(last.text)):
            last.text, last.body = f"{last.text} {text}", f"{last.body} {text}"  # a wrapped list item
        elif kind == "text" and last and previous == "text" and last.kind == "para":
            last.text, last.lines = f"{last.text} {text}", last.lines + 1  # a hard-wrapped paragraph
        elif kind == "item":
            marker = _MARKER.match(text)
            blocks.append(_Block("item", text, text[marker.end():] if marker else text))
        else:
            blocks.append(_Block("para" if kind == "text" else kind, text))
        previous = kind
    return blocks


def _fragments(blocks: list[_Block], start: int, completing: bool = False) -> int:
    """The end of the run of fragment items starting at `start` (looser when they complete a sentence)."""
    end = start
    while end < len(blocks) and (blocks[end].completes() if completing else blocks[end].fragment):
        end += 1
    return end


def _introduces(sentence: str) -> bool:
    return not sentence.endswith(_END + (";", ")"))


def _leads_in(block: _Block, first_item: _Block) -> bool:
    """A one-sentence paragraph ending in ':' before a list of whole sentences (not one that completes it)."""
    return (block.kind == "para" and block.text.endswith(":") and not first_item.completes()
            and len(split_sentences(block.text)) == 1)


def parse(extracted: Extracted) -> Structure:
    """Title, sections and statements of an extracted document."""
    guess = not any(line.kind in ("heading", "title") for line in extracted.lines)
    blocks = _blocks(_classify(extracted.lines, guess))
    title = next((b.text for b in blocks if b.kind == "title"), None)
    if title is None and blocks and blocks[0].kind == "heading":
        title = blocks[0].text
    section = _section_name(title) if title else ""
    sections: list[str] = [section] if section else []
    statements: list[Statement] = []

    def emit(text: str) -> None:
        # Wording before any heading has section "" when there is no title; the caller names it.
        statements.append(Statement(section, text))

    i = 0
    emitted_through = -1  # the block the last statement's wording ends with (-1: not a block's end)
    while i < len(blocks):
        block = blocks[i]
        if block.address and 0 <= emitted_through == i - 1 and statements[-1].section == section:
            statements[-1] = Statement(section, f"{statements[-1].text} {block.text}")
            emitted_through = i
            i += 1
            continue
        # A heading names a section; so do a table's header row and a sentence that only leads into
        # a list ("If a child is not collected, we will follow these procedures:"), which quoted on
        # its own would answer nothing. (A document's opening sentence stays a rule: it is the policy's
        # scope, "Social media procedures for all stakeholders (…):".)
        before_list = i + 1 < len(blocks) and blocks[i + 1].kind == "item"
        if block.kind in ("heading", "title") or before_list and (
                block.label_row or (i > 0 and _leads_in(block, blocks[i + 1]))):
            section = _section_name(block.text)
            if section not in sections:
                sections.append(section)
            i += 1
            continue
        if block.kind == "item" and block.fragment:
            end = _fragments(blocks, i)
            emit(" ".join([block.body] + [b.text for b in blocks[i + 1:end]]))
            emitted_through = end - 1
            i = end
            continue
        sentences = split_sentences(block.body if block.kind == "item" else block.text)
        end = _fragments(blocks, i + 1, completing=True)
        if end > i + 1 and sentences and _introduces(sentences[-1]):
            # The list completes the sentence: keep them together, markers and all.
            sentences[-1] = " ".join([sentences[-1]] + [b.text for b in blocks[i + 1:end]])
        else:
            end = i + 1
        for sentence in sentences:
            if not is_courtesy(sentence):
                emit(sentence)
        emitted_through = end - 1 if sentences and not is_courtesy(sentences[-1]) else -1
        i = end
    return Structure(title, tuple(sections), tuple(statements))


def _section_name(heading: str) -> str:
    # "Aims:" is named "Aims"; `check` counts the heading line as covered either way.
    return heading[:-1].rstrip() if heading.endswith(":") else heading

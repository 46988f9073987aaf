"""Reads a policy document into plain-text lines, with what the format itself says about each
line (a Word heading style, a Markdown bullet...). Word files are read with python-docx, PDFs
with pypdf; .txt and .md need no library. Every failure is an IngestError with one line."""
from __future__ import annotations

import contextlib
import logging
import re
import unicodedata
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from tqdm import tqdm

from assistant.ingest import IngestError
from assistant.text import collapse_ws, count_of

BULLET = "·"  # how list items of Word and Markdown files are written into the source text
# A whole policy pack's longest document is a few hundred pages: far beyond these is a damaged file or
# a decompression bomb, refused before it can take the machine's memory and an afternoon.
MAX_FILE_BYTES = 50_000_000
MAX_UNPACKED_XML_BYTES = 30_000_000  # a .docx is a zip; its text is XML, a few MB for 300 pages
MAX_TEXT_CHARS = 3_000_000  # about 1,500 pages of text


@dataclass(frozen=True)
class SourceLine:
    """One line of the extracted text; `kind` is what the format says: text, heading, title or item."""

    text: str
    kind: str = "text"


@dataclass(frozen=True)
class Extracted:
    """A document's text as the policy's source will keep it, line by line."""

    path: Path
    format: str  # txt, md, docx or pdf
    lines: tuple[SourceLine, ...]
    pages: int = 1
    left_out: tuple[str, ...] = ()  # what the reader dropped (running headers), said to the committee

    @property
    def source_text(self) -> str:
        return "\n".join(line.text for line in self.lines) + "\n"


def read_document(path: Path, progress: bool = False) -> Extracted:
    """The text of a .txt, .md, .docx or .pdf file; IngestError if there is none to be had."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise IngestError(f"{path.name}: unsupported file type '{path.suffix or '(none)'}' (use {known})")
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise IngestError(f"{path.name}: the file is {size / 1e6:.0f} MB, more than the {MAX_FILE_BYTES / 1e6:.0f} MB "
                          "a policy document can be; split it, or save it without embedded pictures")
    with _quiet_libraries():
        extracted = reader(path, progress)
    if not any(collapse_ws(line.text) for line in extracted.lines):
        raise IngestError(f"{path.name}: the document has no text to ingest")
    if sum(len(line.text) for line in extracted.lines) > MAX_TEXT_CHARS:
        raise IngestError(f"{path.name}: the document has more than {MAX_TEXT_CHARS:,} characters of text, "
                          "far more than a policy; split it into its policies and ingest each")
    return extracted


@contextlib.contextmanager
def _quiet_libraries() -> Iterator[None]:
    """pypdf and python-docx log and warn about every oddity of a file; the committee needs one line
    from us instead (a refusal, or nothing)."""
    loggers = [logging.getLogger(name) for name in ("pypdf", "docx")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def _plain(path: Path) -> str:
    data = path.read_bytes()
    if b"\0" in data:
        raise IngestError(f"{path.name}: not a text file (it contains binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Text saved from Word on Windows is often cp1252 ("smart" quotes as single bytes).
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise IngestError(f"{path.name}: cannot be read as UTF-8 or Windows text; save it as UTF-8") from None


def _tidy(text: str) -> str:
    # Keep words and punctuation exactly; only trailing spaces and tabs go (they never decide a match).
    return text.replace("\t", " ").rstrip()


def read_txt(path: Path, progress: bool = False) -> Extracted:
    return Extracted(path, "txt", tuple(SourceLine(_tidy(line)) for line in _plain(path).splitlines()))


_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_MD_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")


def _md_inline(text: str) -> str:
    # Links keep their words (and the address, which a parent may need); emphasis marks go.
    text = _MD_LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})" if m.group(2) else m.group(1), text)
    return _MD_EMPHASIS.sub(r"\2", text)


def read_md(path: Path, progress: bool = False) -> Extracted:
    """Markdown rendered as plain text: '#' headings (the first level-1 heading is the title),
    '-'/'*' bullets written as '·' items, links and emphasis reduced to their words."""
    lines, has_title = [], False
    for raw in _plain(path).splitlines():
        if _MD_RULE.match(raw):
            lines.append(SourceLine(""))
        elif heading := _MD_HEADING.match(raw):
            kind = "title" if heading.group(1) == "#" and not has_title else "heading"
            has_title = has_title or kind == "title"
            lines.append(SourceLine(_md_inline(heading.group(2)), kind))
        elif bullet := _MD_BULLET.match(raw):
            lines.append(SourceLine(f"{BULLET} {_md_inline(bullet.group(1)).strip()}", "item"))
        else:
            lines.append(SourceLine(_tidy(_md_inline(raw))))
    return Extracted(path, "md", tuple(lines))


def _docx_kind(paragraph) -> str:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style == "Title":
        return "title"
    if style.startswith("Heading"):
        return "heading"
    p_pr = paragraph._p.pPr  # numbering properties: how Word marks bullets and numbered lists
    if "List" in style or (p_pr is not None and p_pr.numPr is not None):
        return "item"
    runs = [r for r in paragraph.runs if r.text.strip()]
    text = paragraph.text.strip()
    # Committees often make headings by bolding a short line rather than with a heading style.
    if runs and all(r.bold for r in runs) and len(text.split()) <= 10 and not text.endswith((".", ":", ";")):
        return "heading"
    return "text"


def read_docx(path: Path, progress: bool = False) -> Extracted:
    """Paragraphs and table rows in document order; heading styles, bold short lines and list
    paragraphs are marked, list items written as '· item'."""
    import docx
    from docx.table import Table

    _refuse_a_bomb(path)
    try:
        document = docx.Document(str(path))
        blocks = list(document.iter_inner_content())
    except Exception:  # python-docx raises zip, XML and package errors alike for a damaged file
        raise IngestError(f"{path.name}: cannot be opened as a Word document (.docx); it may be damaged, "
                          "or an old .doc file: save it as .docx") from None
    lines: list[SourceLine] = []
    for block in tqdm(blocks, desc=f"Reading {path.name}", unit="paragraph", disable=not progress, leave=False):
        if isinstance(block, Table):
            for row in block.rows:
                cells = [collapse_ws(c.text) for c in row.cells]
                unique = [c for i, c in enumerate(cells) if c and c not in cells[:i]]  # merged cells repeat
                if unique:
                    lines.append(SourceLine(" | ".join(unique)))
            lines.append(SourceLine(""))
            continue
        text = collapse_ws(block.text)
        if not text:
            lines.append(SourceLine(""))
            continue
        kind = _docx_kind(block)
        lines.append(SourceLine(f"{BULLET} {text}" if kind == "item" else text, kind))
    return Extracted(path, "docx", tuple(lines))


def _refuse_a_bomb(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist() if info.filename.endswith(".xml"))
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # python-docx refuses it in its own words
    if unpacked > MAX_UNPACKED_XML_BYTES:
        raise IngestError(f"{path.name}: the Word file unpacks to {unpacked / 1e6:.0f} MB, far more than a policy; "
                          "it may be damaged: open it in Word and save it again")


_PAGE_NUMBER = re.compile(r"^(page\s*)?\d+(\s*(of|/)\s*\d+)?$", re.IGNORECASE)


def _shape(line: str) -> str:
    # Digits ignored: "Page 3 of 12" and "Reviewed 2025" repeat with other numbers.
    return re.sub(r"\d+", "#", collapse_ws(line).lower())


def _edges(page: list[str]) -> set[int]:
    """Where a header or footer can be: the first and last two lines with text."""
    filled = [n for n, line in enumerate(page) if line.strip()]
    return set(filled[:2] + filled[-2:])


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Headers and footers: a line (digits ignored) at the top or bottom of most pages, once a page.
    One whose numbers change from page to page must be short, like "Sunny Days - page 3": numbered
    policy sentences that happen to open each page are not a footer."""
    if len(pages) < 2:
        return set()
    seen: dict[str, list[str]] = {}
    twice: set[str] = set()
    for page in pages:
        edges = [collapse_ws(page[n]) for n in _edges(page)]
        shapes = Counter(_shape(text) for text in edges)
        twice.update(shape for shape, count in shapes.items() if count > 1)
        for text in edges:
            seen.setdefault(_shape(text), []).append(text)
    return {shape for shape, texts in seen.items()
            if len(texts) >= max(2, len(pages) // 2 + 1) and shape not in twice
            and (len(set(texts)) == 1 or len(shape.split()) <= 8)}


def _without_running_lines(pages: list[list[str]]) -> tuple[list[SourceLine], tuple[str, ...]]:
    """The pages' lines minus page numbers and running headers and footers, and what went, in words.
    Only a line at a page's edge can go, so policy wording that happens to repeat mid-page stays."""
    running = _running_lines(pages)
    kept: list[SourceLine] = []
    dropped: Counter[str] = Counter()  # how many lines went, by how the committee is told of them
    first: dict[str, str] = {}  # a running line's shape → how it is said
    for page in pages:
        edges = _edges(page)
        for n, line in enumerate(page):
            flat = collapse_ws(line)
            if n in edges and flat and _PAGE_NUMBER.match(flat):
                dropped["page numbers"] += 1
            elif n in edges and flat and _shape(line) in running:
                dropped[first.setdefault(_shape(line), repr(flat[:60]))] += 1
            else:
                kept.append(SourceLine(line))
    return kept, tuple(f"{what} ({count_of(count, 'page')})" for what, count in dropped.most_common())


def read_pdf(path: Path, progress: bool = False) -> Extracted:
    """The text layer of every page (pypdf), without page numbers and running headers or footers."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    if path.stat().st_size == 0:
        raise IngestError(f"{path.name}: the PDF file is empty")
    with path.open("rb") as file:
        if file.read(4) == b"PK\x03\x04":
            raise IngestError(f"{path.name}: this is a Word (.docx) file with a .pdf name; rename it to .docx")
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(f"{path.name}: the PDF is password-protected; save an unprotected copy and ingest that")
        pages = reader.pages
        count = len(pages)
    except IngestError:
        raise
    except (DependencyError, FileNotDecryptedError, NotImplementedError):
        raise IngestError(f"{path.name}: the PDF is encrypted in a way that cannot be read; "
                          "save an unprotected copy and ingest that") from None
    except Exception:  # pypdf signals damaged files with several exception types
        raise IngestError(f"{path.name}: cannot be read as a PDF; it may be damaged") from None
    if count == 0:
        raise IngestError(f"{path.name}: the PDF has no pages")
    texts: list[list[str]] = []
    try:
        for page in tqdm(pages, total=count, desc=f"Reading {path.name}", unit="page",
                         disable=not progress, leave=False):
            # NFKC undoes typesetting: ligatures ("ﬁ" -> "fi") and odd spaces, so questions can match the words.
            text = unicodedata.normalize("NFKC", page.extract_text() or "")
            texts.append([_tidy(line) for line in text.splitlines()])
    except Exception:  # noqa: BLE001 - pypdf fails on damaged pages in many ways (filters, limits, syntax)
        raise IngestError(f"{path.name}: page {len(texts) + 1} of the PDF cannot be read; it may be damaged: "
                          "export the PDF again from the original document") from None
    if not any(collapse_ws(line) for page in texts for line in page):
        raise IngestError(f"{path.name}: the PDF has no text layer (a scan or images only); "
                          "export it from the original document, or run it through OCR first")
    lines, left_out = _without_running_lines(texts)
    # No blank line between pages: a sentence may run on from one page to the next.
    return Extracted(path, "pdf", tuple(lines), count, left_out)


READERS: dict[str, Callable[[Path, bool], Extracted]] = {
    ".txt": read_txt, ".md": read_md, ".markdown": read_md, ".docx": read_docx, ".pdf": read_pdf,
}

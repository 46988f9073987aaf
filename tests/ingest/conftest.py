"""Helpers for the ingest tests: Word and PDF files built from the fictional fixture texts (never
committed as binaries), a CLI runner, and a fingerprint of the knowledge folder."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from assistant.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"
_NUMBERED = re.compile(r"^\d+\.\s+")


def fixture_blocks(name: str, headings: set[str]) -> list[tuple[str, str]]:
    """(kind, text) blocks of a fixture: title (first line), heading (named), bullet ('· '),
    number ('1. '), para (other lines, hard wraps joined)."""
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    blocks: list[tuple[str, str]] = [("title", lines[0].strip())]
    for line in lines[1:]:
        text = line.strip()
        if not text:
            blocks.append(("blank", ""))
        elif text in headings:
            blocks.append(("heading", text))
        elif text.startswith("· "):
            blocks.append(("bullet", text[2:]))
        elif _NUMBERED.match(text):
            blocks.append(("number", _NUMBERED.sub("", text)))
        elif blocks[-1][0] == "para":
            blocks[-1] = ("para", f"{blocks[-1][1]} {text}")
        else:
            blocks.append(("para", text))
    return [b for b in blocks if b[0] != "blank"]


LUNCH_HEADINGS = {"Aims", "Packed lunches", "Snacks", "Allergies and special diets"}
ARRIVALS_HEADINGS = {"Arriving", "Collection", "Late collection"}


def build_docx(name: str, headings: set[str], out: Path, bold_heading: str | None = None) -> Path:
    """A Word file of a fixture with python-docx: Title and Heading styles, List Bullet and List
    Number paragraphs; `bold_heading` is written as a bold Normal paragraph, as committees often do."""
    import docx

    document = docx.Document()
    for kind, text in fixture_blocks(name, headings):
        if kind == "title":
            document.add_heading(text, level=0)
        elif kind == "heading" and text == bold_heading:
            document.add_paragraph().add_run(text).bold = True
        elif kind == "heading":
            document.add_heading(text, level=1)
        elif kind == "bullet":
            document.add_paragraph(text, style="List Bullet")
        elif kind == "number":
            document.add_paragraph(text, style="List Number")
        else:
            document.add_paragraph(text)
    document.save(str(out))
    return out


def build_pdf(name: str, headings: set[str], out: Path) -> Path:
    """A PDF of a fixture with fpdf2: each section on its own page (so the document has several),
    long lines wrapped by the layout, and a running footer with the page number."""
    from fpdf import FPDF

    class Policy(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.cell(0, 10, f"Sunny Days Pre-school - page {self.page_no()}", align="C")

    pdf = Policy(format="A4")
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    for kind, text in fixture_blocks(name, headings):
        if kind == "heading":
            pdf.add_page()
        size, style = {"title": (16, "B"), "heading": (13, "B")}.get(kind, (11, ""))
        pdf.set_font("Helvetica", style=style, size=size)
        prefix = "\u00b7 " if kind == "bullet" else ""
        pdf.multi_cell(0, 6, prefix + text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.output(str(out))
    return out


def quoted(message: str) -> str:
    """The wording an answer quotes, its "> " lines joined (a rule is quoted within its paragraph)."""
    return " ".join(line[2:] for line in message.splitlines() if line.startswith("> "))


def knowledge_hash(directory: Path) -> str:
    """Every file in the folder, hidden ones too (a leftover temporary file counts as a change)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(directory)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@pytest.fixture
def config_file(knowledge_copy: Path, tmp_path: Path, data_dir: Path) -> Path:
    """A config.yaml over the writable knowledge copy."""
    path = tmp_path / "config.yaml"
    path.write_text(f"knowledge_dir: {knowledge_copy}\nindex_dir: {tmp_path / 'embeddings'}\n"
                    f"data_dir: {data_dir}\n", encoding="utf-8")
    return path


@pytest.fixture
def run_cli(config_file: Path, capsys: pytest.CaptureFixture):
    """Runs `python -m assistant ARGS...` in-process: (exit code, stdout, stderr)."""
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--config", str(config_file), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run

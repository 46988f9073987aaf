"""Bad input: each case is one clear line on stderr, a non-zero exit, and no knowledge file
written or changed (the whole folder is hashed before and after, hidden files included)."""
import zipfile
from pathlib import Path

import pytest

from assistant.ingest import IngestError, ingest_file
from tests.ingest.conftest import FIXTURES, knowledge_hash


def _encrypted_pdf(path: Path) -> None:
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    plain = path.with_suffix(".plain.pdf")
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "Children must be collected by 3pm.")
    pdf.output(str(plain))
    writer = PdfWriter(clone_from=PdfReader(str(plain)))
    writer.encrypt(user_password="committee-only", algorithm="RC4-128")
    writer.write(str(path))


def _image_only_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(2):  # a "scan": shapes on every page, no text layer
        pdf.add_page()
        pdf.set_fill_color(200, 200, 200)
        pdf.rect(20, 20, 170, 250, style="F")
    pdf.output(str(path))


def _empty_docx(path: Path) -> None:
    import docx

    docx.Document().save(str(path))


def _zip_without_document(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a Word document")


def _pdf_with_an_unsupported_filter(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "Children must be collected by 3pm.")
    path.write_bytes(bytes(pdf.output()).replace(b"/Filter /FlateDecode", b"/Filter /FooDecode", 1))


def _word_file_named_pdf(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Children must be collected by 3pm.")
    document.save(str(path))


def _inflating_docx(path: Path) -> None:
    """A quarter of a megabyte on disk, 60 MB of text unpacked (written in chunks: the test stays small)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            for _ in range(60):
                member.write(b"<w:p/>" * 174_763)  # about 1 MB a time


def _oversized(path: Path) -> None:
    with path.open("wb") as file:
        file.truncate(60_000_000)  # sparse: no disk is filled by the test


CASES = {
    "empty.txt": (lambda p: p.write_bytes(b""), "no text"),
    "blank.txt": (lambda p: p.write_text(" \n\t\n  \n", encoding="utf-8"), "no text"),
    "binary.txt": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0IHDR"), "binary"),
    "policy.rtf": (lambda p: p.write_text("{\\rtf1 Children must wash hands.}", encoding="utf-8"), "unsupported file type"),
    "policy": (lambda p: p.write_text("Children must wash hands.", encoding="utf-8"), "unsupported file type"),
    "missing.pdf": (lambda p: None, "no such file"),
    "corrupt.docx": (lambda p: p.write_bytes(b"PK\x03\x04 this is not really a zip"), "cannot be opened as a Word document"),
    "not-word.docx": (_zip_without_document, "cannot be opened as a Word document"),
    "empty-text.docx": (_empty_docx, "no text"),
    "empty.pdf": (lambda p: p.write_bytes(b""), "PDF file is empty"),
    "garbage.pdf": (lambda p: p.write_bytes(b"%PDF-1.4\n this is not a pdf at all \x00\x01"), "cannot be read as a PDF"),
    "encrypted.pdf": (_encrypted_pdf, "password-protected"),
    "scanned.pdf": (_image_only_pdf, "no text layer"),
    "damaged-filter.pdf": (_pdf_with_an_unsupported_filter, "cannot be read; it may be damaged"),
    "renamed-word.pdf": (_word_file_named_pdf, "rename it to .docx"),
    "inflating.docx": (_inflating_docx, "unpacks to"),
    "huge.txt": (_oversized, "more than the 50 MB"),
    "endless.txt": (lambda p: p.write_text("Children must be collected on time. " * 100_000, encoding="utf-8"),
                    "far more than a policy"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_one_line_error_and_leaves_knowledge_untouched(name, tmp_path, knowledge_copy, run_cli):
    make, reason = CASES[name]
    bad = tmp_path / "in" / name
    bad.parent.mkdir()
    make(bad)
    before = knowledge_hash(knowledge_copy)
    code, out, err = run_cli("ingest", str(bad))
    assert code != 0
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert reason in err
    assert "Traceback" not in err and out == ""
    assert knowledge_hash(knowledge_copy) == before


def test_a_failure_after_drafting_writes_nothing(knowledge_copy, monkeypatch):
    # The drafted file is proven to load in a scratch copy first; if it would not, nothing is written.
    import assistant.ingest.store as store

    real_render = store.render
    monkeypatch.setattr(store, "render", lambda *a: real_render(*a).replace("Sweets, chocolate", "Sweets, cake"))
    before = knowledge_hash(knowledge_copy)
    with pytest.raises(IngestError, match="would not load.*nothing was written"):
        ingest_file(FIXTURES / "lunch_snacks.txt", knowledge_copy)
    assert knowledge_hash(knowledge_copy) == before


def test_clashing_file_and_bad_id_are_refused(knowledge_copy, run_cli):
    (knowledge_copy / "lunch-snacks.txt").write_text("someone's notes\n", encoding="utf-8")
    before = knowledge_hash(knowledge_copy)
    code, _, err = run_cli("ingest", str(FIXTURES / "lunch_snacks.txt"))
    assert code != 0 and "lunch-snacks.txt already exists" in err and "--id" in err
    code, _, err = run_cli("ingest", str(FIXTURES / "lunch_snacks.txt"), "--id", "Lunch Policy!")
    assert code != 0 and "lower-case letters" in err
    code, _, err = run_cli("ingest", str(FIXTURES / "lunch_snacks.txt"), "--id", "synonyms")
    assert code != 0 and "reserved" in err
    assert knowledge_hash(knowledge_copy) == before

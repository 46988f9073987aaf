"""Each reader's text: what the format says about headings and lists, and nothing else added."""

from assistant.ingest.readers import read_document
from tests.ingest.conftest import ARRIVALS_HEADINGS, FIXTURES, LUNCH_HEADINGS, build_docx, build_pdf


def test_markdown_headings_bullets_and_emphasis_become_plain_text():
    extracted = read_document(FIXTURES / "illness_exclusion.md")
    kinds = {line.text: line.kind for line in extracted.lines if line.text}
    assert kinds["Illness and Exclusion Policy"] == "title"
    assert kinds["Keeping children at home"] == "heading"
    assert kinds["· Children with a temperature of 38°C or above should not attend pre-school."] == "item"
    assert "corner with a member of staff." in extracted.source_text
    assert "**" not in extracted.source_text and "#" not in extracted.source_text


def test_markdown_links_keep_their_words_and_address(tmp_path):
    path = tmp_path / "p.md"
    path.write_text("See the [Ofsted guidance](https://example.org/guide) and *always* ask.\n", encoding="utf-8")
    assert read_document(path).source_text == "See the Ofsted guidance (https://example.org/guide) and always ask.\n"


def test_word_styles_bold_headings_and_lists(tmp_path):
    path = build_docx("lunch_snacks.txt", LUNCH_HEADINGS, tmp_path / "lunch.docx", bold_heading="Snacks")
    lines = [(line.kind, line.text) for line in read_document(path).lines if line.text]
    assert lines[0] == ("title", "Sunny Days Pre-school Lunch and Snacks Policy")
    assert ("heading", "Aims") in lines and ("heading", "Snacks") in lines  # a style, and bold only
    assert ("item", "· a piece of fruit or vegetables") in lines
    assert ("item", "· A healthy snack is offered mid-morning and mid-afternoon.") in lines


def test_word_tables_are_read_row_by_row(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Ratios are set out below.")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("Age", "Ratio"), ("Under 2", "1 adult to 3 children")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    document.save(str(tmp_path / "r.docx"))
    assert "Under 2 | 1 adult to 3 children" in read_document(tmp_path / "r.docx").source_text


def test_pdf_pages_are_joined_without_page_footers(tmp_path):
    path = build_pdf("arrivals_collection.txt", ARRIVALS_HEADINGS, tmp_path / "arrivals.pdf")
    extracted = read_document(path)
    assert extracted.pages == 4
    assert "page 2" not in extracted.source_text.lower()
    assert "A late collection fee of £10 per quarter hour may be charged." in extracted.source_text


def test_windows_text_files_are_read(tmp_path):
    path = tmp_path / "p.txt"
    path.write_bytes("Parents\u2019 cars must not block the gate.\n".encode("cp1252"))
    assert read_document(path).source_text == "Parents\u2019 cars must not block the gate.\n"


def _pdf_with_running_lines(out):
    """Four pages, each under the setting's name and over its page number; the contact block at the end
    names the setting too, on a line of its own, mid-page."""
    from fpdf import FPDF

    class Policy(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=8)
            self.cell(0, 8, "Sunflower Pre-school", new_x="LMARGIN", new_y="NEXT")

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.cell(0, 10, f"Page {self.page_no()} of 4", align="C")

    pdf = Policy(format="A4")
    pdf.set_font("Helvetica", size=11)
    for page in range(1, 5):
        pdf.add_page()
        for n in range(1, 4):
            pdf.multi_cell(0, 6, f"Rule {n} of part {page}: children are signed in by the adult who brings them.",
                           new_x="LMARGIN", new_y="NEXT")
    for line in ("Contact us:", "Sunflower Pre-school", "12 High Street", "Please write to the manager."):
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(out))
    return out


def test_running_headers_go_with_a_word_but_the_same_words_mid_page_stay(tmp_path):
    extracted = read_document(_pdf_with_running_lines(tmp_path / "p.pdf"))
    lines = [line.text for line in extracted.lines]
    assert lines.count("Sunflower Pre-school") == 1 and lines.index("Sunflower Pre-school") == lines.index("Contact us:") + 1
    assert not any(line.startswith("Page ") for line in lines)
    assert sum(line.startswith("Rule ") for line in lines) == 12  # every policy sentence kept
    assert extracted.left_out == ("'Sunflower Pre-school' (4 pages)", "page numbers (4 pages)")

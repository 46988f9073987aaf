"""The `review` key in the schema, its report in `check`, and the progress bar for long PDFs."""
from assistant.checker import check
from assistant.ingest.readers import read_document
from assistant.loader import read_knowledge
from tests.ingest.conftest import ARRIVALS_HEADINGS, build_pdf


def _add_to_first_rule(knowledge, line: str) -> None:
    path = knowledge / "social_media.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "  - id: sm-scope\n"
    assert anchor in text
    path.write_text(text.replace(anchor, anchor + line + "\n", 1), encoding="utf-8")


def test_check_reports_rules_flagged_for_review(knowledge_copy):
    _add_to_first_rule(knowledge_copy, '    review: "wording changed in the 2026 version; check plain answer"')
    kb, problems = check(knowledge_copy)
    assert kb.rule("sm-scope").review == "wording changed in the 2026 version; check plain answer"
    flagged = [p for p in problems if "flagged for review" in p.message]
    assert [(p.severity, p.file.name) for p in flagged] == [("warning", "social_media.yaml")]
    assert "sm-scope" in flagged[0].message and "check plain answer" in flagged[0].message


def test_an_empty_review_is_an_error_naming_file_and_line(knowledge_copy):
    _add_to_first_rule(knowledge_copy, '    review: ""')
    kb, problems = read_knowledge(knowledge_copy)
    assert kb is None
    error = next(p for p in problems if "'review'" in p.message)
    assert error.file.name == "social_media.yaml" and error.line is not None


def test_reading_a_pdf_shows_a_progress_bar_of_pages(tmp_path, capsys):
    path = build_pdf("arrivals_collection.txt", ARRIVALS_HEADINGS, tmp_path / "arrivals.pdf")
    read_document(path, progress=True)
    assert "Reading arrivals.pdf" in capsys.readouterr().err
    read_document(path, progress=False)
    assert capsys.readouterr().err == ""

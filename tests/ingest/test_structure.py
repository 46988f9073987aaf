"""Structure detection: title, headings, and rules cut at bullets and sentences, with lists that
complete a sentence kept whole. The curated social media rules are the reference."""
from pathlib import Path

from assistant.ingest.draft import guess_audience, rule_id
from assistant.ingest.readers import Extracted, SourceLine, read_document
from assistant.ingest.structure import parse, split_sentences
from assistant.loader import load_knowledge, verbatim_problem
from tests.conftest import ROOT
from tests.ingest.conftest import FIXTURES


def _parse_text(text: str):
    lines = tuple(SourceLine(line) for line in text.splitlines())
    return parse(Extracted(Path("x.txt"), "txt", lines))


def test_social_media_source_splits_into_exactly_the_hand_curated_rules():
    structure = parse(read_document(ROOT / "knowledge" / "social_media.txt"))
    curated = [r.text for r in load_knowledge(ROOT / "knowledge").rules]
    assert [s.text for s in structure.statements] == curated
    assert "Social Media" in structure.sections
    routes = next(s for s in structure.statements if s.text.startswith("There are several means"))
    assert routes.text.endswith("· a quick moment at drop off and pick up (staff only have limited time at these times)")
    assert routes.section == "Social Media"


def test_lunch_fixture_title_headings_numbers_wraps_and_abbreviations():
    extracted = read_document(FIXTURES / "lunch_snacks.txt")
    structure = parse(extracted)
    assert structure.title == "Sunny Days Pre-school Lunch and Snacks Policy"
    assert structure.sections == ("Sunny Days Pre-school Lunch and Snacks Policy", "Aims", "Packed lunches",
                                  "Snacks", "Allergies and special diets")
    by_text = {s.text: s.section for s in structure.statements}
    # hard-wrapped sentence joined; list that completes "should include:" kept with it
    assert by_text["Children sit together at lunch and snack time, and staff eat with them to model good habits."] == "Aims"
    assert ("Lunch boxes should include: · a sandwich, wrap or other main item · a piece of fruit or vegetables "
            "· a drink of water or milk") in by_text
    # numbered items are rules of their own, without the number; "e.g." does not end a sentence
    assert by_text["A healthy snack is offered mid-morning and mid-afternoon."] == "Snacks"
    assert "We are a nut-free setting: foods containing nuts, e.g. peanut butter or chocolate spread, are not allowed." in by_text
    assert len(structure.statements) == 13
    for statement in structure.statements:
        assert verbatim_problem(statement.text, extracted.source_text) is None


def test_lists_of_sentences_fragments_without_intro_labels_and_wrapped_items():
    structure = _parse_text(
        "Outings Policy\n\nAims:\n· Children enjoy safe trips.\n· Staff plan every outing.\n\n"
        "What to bring\n· spare clothes\n· wellies\n\nOn the day\n"
        "· Parents sign the consent form before the\n  trip and collect their child at the hall.\n"
        "· A first aid kit goes on every outing.\nThank you for your help.\n")
    texts = [(s.section, s.text) for s in structure.statements]
    assert texts == [
        ("Aims", "Children enjoy safe trips."),
        ("Aims", "Staff plan every outing."),
        ("What to bring", "spare clothes · wellies"),
        ("On the day", "Parents sign the consent form before the trip and collect their child at the hall."),
        ("On the day", "A first aid kit goes on every outing."),
    ]  # "Thank you for your help." is no rule: nobody asks about it


def test_a_sentence_that_only_leads_into_a_list_names_its_section_rather_than_being_a_rule():
    # Quoted alone, "we will follow these procedures:" answers nothing, yet it shares every topic word
    # of the list: as a rule it came first for questions its items answer.
    structure = _parse_text(
        "Late Collection Policy\n\nIf a child is not collected\n"
        "If a child is not collected at the end of the session, we will follow these procedures:\n"
        "· The collection book is checked for messages.\n· A full written report of the incident is recorded.\n")
    lead = "If a child is not collected at the end of the session, we will follow these procedures"
    assert [(s.section, s.text) for s in structure.statements] == [
        (lead, "The collection book is checked for messages."),
        (lead, "A full written report of the incident is recorded."),
    ]
    assert lead in structure.sections


def test_a_table_written_as_a_list_gives_a_rule_per_row_under_its_header(tmp_path):
    document = tmp_path / "exclusions.md"
    document.write_text(
        "# Exclusion periods\n\nPlease keep your child at home when they are ill.\n\nIllness: Period\n\n"
        "- Measles: 7 days\n- Mumps: 5 days\n- Head lice: Until treated\n\nThank you.\n", encoding="utf-8")
    structure = parse(read_document(document))
    assert [(s.section, s.text) for s in structure.statements] == [
        ("Exclusion periods", "Please keep your child at home when they are ill."),
        ("Illness: Period", "Measles: 7 days"),
        ("Illness: Period", "Mumps: 5 days"),
        ("Illness: Period", "Head lice: Until treated"),
    ]


def test_a_list_of_phone_numbers_completes_the_sentence_that_introduces_it():
    structure = _parse_text("Contact Ofsted on the numbers as follows:\n\n- 0300 123 1231 (general helpline)\n"
                            "- 0300 123 4666 (for complaints about early years childcare providers)\n")
    assert [s.text for s in structure.statements] == [
        "Contact Ofsted on the numbers as follows: - 0300 123 1231 (general helpline) "
        "- 0300 123 4666 (for complaints about early years childcare providers)"]


def test_an_address_after_contact_details_stays_with_them_rather_than_being_a_rule(tmp_path):
    document = tmp_path / "complaints.md"
    document.write_text("# Complaints\n\nContact Ofsted on the numbers as follows:\n\n"
                        "- 0300 123 1231 (general helpline)\n\nPiccadilly Gate\nStore Street\n"
                        "Manchester M1 2WD\n\nWrite to the chair at:\n\nThe Village Hall\nChurch Lane\n\n"
                        "Lunch Time\n\nWe provide plates.\n", encoding="utf-8")
    assert [s.text for s in parse(read_document(document)).statements] == [
        "Contact Ofsted on the numbers as follows: · 0300 123 1231 (general helpline) "
        "Piccadilly Gate Store Street Manchester M1 2WD",
        "Write to the chair at: The Village Hall Church Lane",
        # one short line is no address: a heading the document did not mark stays as it was
        "Lunch Time", "We provide plates."]
    letterhead = tmp_path / "fees.md"  # an address with nothing before it is left as it always was
    letterhead.write_text("Sunflower Pre-school\nChurch Lane\nAnytown AB1 2CD\n\n# Fees\n\n"
                          "Fees are due each term.\n", encoding="utf-8")
    assert [s.text for s in parse(read_document(letterhead)).statements] == [
        "Sunflower Pre-school Church Lane Anytown AB1 2CD", "Fees are due each term."]


def test_sentences_do_not_break_after_abbreviations_or_times():
    assert split_sentences("Doors open at 8.45am. Bring e.g. a coat, hat etc. Mrs. Smith will help. Ok!") == [
        "Doors open at 8.45am.", "Bring e.g. a coat, hat etc.", "Mrs. Smith will help.", "Ok!"]
    # "etc." before a capital ends its sentence (two rules, not one); before a small letter it does not
    assert split_sentences("Hurting includes smacking, pushing etc. On occasions children are moved.") == [
        "Hurting includes smacking, pushing etc.", "On occasions children are moved."]
    assert split_sentences("Bring hats, coats etc. and a drink.") == ["Bring hats, coats etc. and a drink."]


def test_audience_is_guessed_from_the_wording_else_everyone():
    assert guess_audience("Staff keep an allergy list.") == ("staff",)
    assert guess_audience("Parents must tell the Pre-school Leader.") == ("staff", "parents")
    assert guess_audience("The committee reviews this policy.") == ("committee",)
    assert guess_audience("Visitors must sign in.") == ("visitors",)
    assert guess_audience("A healthy snack is offered.") == ("everyone",)
    # Wording that speaks to the reader is for parents, whoever else it names.
    assert guess_audience("Please raise any difficulties with a member of staff or the committee.") == ("parents",)
    assert guess_audience("Label your child's lunch box.") == ("parents",)


def test_rule_ids_are_readable_stable_and_unique():
    taken: set[str] = set()
    first = rule_id("lunch", "Sweets must not be sent.", taken)
    again = rule_id("lunch", "Sweets must not be sent.", taken)
    assert first == "lunch-sweets-sent" and again == "lunch-sweets-sent-2"
    assert rule_id("lunch", "Sweets must not be sent.", set()) == first

"""Reading whatever a terminal, a pipe or Discord hands over: no input may crash a batch or the engine."""
import codecs
import io

from assistant.text import clean_question, decode_line, input_lines, mostly_latin, only_links


def test_lone_surrogates_are_cleaned_like_other_control_characters():
    cleaned = clean_question("can I post photos \ud800 on fb?\udcff")
    assert cleaned == "can I post photos on fb?"
    cleaned.encode("utf-8")  # what the tokenizer and SQLite need


def test_a_line_that_is_not_utf8_is_read_as_windows_1252():
    assert decode_line(b"can I post photos \xff on fb?") == "can I post photos \u00ff on fb?"
    assert decode_line(b"\x93can my mum film the nativity?\x94") == "\u201ccan my mum film the nativity?\u201d"


def test_utf8_with_a_byte_order_mark_loses_the_mark():
    assert decode_line(codecs.BOM_UTF8 + "caf\u00e9 rota?".encode()) == "caf\u00e9 rota?"


def test_one_bad_line_spoils_none_of_the_others():
    stream = io.BytesIO(b"first?\nsecond \xff?\n\nthird?\n")
    assert list(input_lines(stream)) == ["first?", "second \u00ff?", "", "third?"]


def test_utf16_input_from_windows_is_read_line_by_line():
    text = "can I post photos on fb?\r\nis there a pre-school page?\r\n"
    for encoding in ("utf-16", "utf-16-le"):  # PowerShell's redirect; and without the byte-order mark
        assert list(input_lines(io.BytesIO(text.encode(encoding)))) == [
            "can I post photos on fb?", "is there a pre-school page?"], encoding


def test_latin_letters_are_told_from_other_scripts():
    assert mostly_latin("can I post photos?") and mostly_latin("czy mogę zrobić zdjęcie?") and mostly_latin("123 ?!")
    assert mostly_latin("café at pick up, 照片?")
    assert not mostly_latin("هل يمكنني نشر الصور") and not mostly_latin("можно ли фото?")


def test_a_message_of_web_addresses_alone_is_told_from_a_question_with_one():
    assert only_links("https://bit.ly/3xYzAbc") and only_links(" www.example.com/a?b=c !")
    assert not only_links("can I post this? https://bit.ly/3xYzAbc") and not only_links("no link here")

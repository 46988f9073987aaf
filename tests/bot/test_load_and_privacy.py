"""The event loop stays responsive under load; questions, user ids and tokens stay out of logs and files."""
from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

from tests.bot.harness import DEFERRED

QUESTIONS = [
    "can I post a photo of my kid at sports day on insta?",
    "do i need to blur the other kids out of my photos",
    "can i use my phone in the hall?",
    "is there a preschool facebook page?",
    "how do I contact the pre-school?",
]
SENTINEL_QUESTION_MARK = "ZQXJ-SENTINEL-4417"
SENTINEL_USER_ID = 123456789012345678


async def test_loop_never_stalls_while_50_questions_are_answered(harness):
    gaps: list[float] = []
    stop = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticking = asyncio.create_task(ticker())
    await asyncio.sleep(0.02)
    results = await asyncio.gather(*(
        harness.command("ask", question=QUESTIONS[n % len(QUESTIONS)], user_id=1000 + n) for n in range(50)))
    stop.set()
    await ticking
    assert all(r[0].payload["type"] == DEFERRED and r[-1].embeds for r in results)
    assert max(gaps) < 0.1, f"the event loop stalled for {max(gaps) * 1000:.0f} ms"


async def test_retrievals_are_capped(harness):
    service = harness.bot.service
    running = 0
    peak = 0
    original = service.engine.ask

    def counting(question, audience):
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        try:
            time.sleep(0.02)
            return original(question, audience)
        finally:
            running -= 1
    service.engine = type("Wrapped", (), {"ask": staticmethod(counting), "kb": service.engine.kb})()
    await asyncio.gather(*(harness.command("ask", question=QUESTIONS[0], user_id=n) for n in range(12)))
    assert peak == harness.bot.settings.max_concurrent


def everything_under(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


async def test_answered_question_and_user_id_never_reach_logs_or_files(harness, caplog, bot_config):
    caplog.set_level(logging.DEBUG, logger="assistant")
    question = f"can I post a photo of my kid at sports day on insta {SENTINEL_QUESTION_MARK}?"
    records = await harness.command("ask", question=question, user_id=SENTINEL_USER_ID)
    assert records[-1].embeds  # answered, so nothing about it needs keeping
    await harness.message(f"{SENTINEL_QUESTION_MARK} can i use my phone in the hall?", guild=False,
                          user_id=SENTINEL_USER_ID)
    assert "ask: user=" in caplog.text  # the log does record the event...
    assert SENTINEL_QUESTION_MARK not in caplog.text  # ...but not the question
    assert str(SENTINEL_USER_ID) not in caplog.text
    stored = everything_under(bot_config.data_dir)
    assert stored  # the database exists
    assert SENTINEL_QUESTION_MARK.encode() not in stored and str(SENTINEL_USER_ID).encode() not in stored


async def test_declined_question_is_kept_but_not_the_user_id(harness, caplog, bot_config):
    caplog.set_level(logging.DEBUG, logger="assistant")
    await harness.command("ask", question=f"what are the fees {SENTINEL_QUESTION_MARK}?", user_id=SENTINEL_USER_ID)
    stored = everything_under(bot_config.data_dir)
    assert SENTINEL_QUESTION_MARK.encode() in stored  # what /gaps needs (and /privacy says)
    assert str(SENTINEL_USER_ID).encode() not in stored
    assert SENTINEL_QUESTION_MARK not in caplog.text and str(SENTINEL_USER_ID) not in caplog.text

"""/ask against the real engine: defer first, private, the plain answer and the exact wording quoted."""
from __future__ import annotations

from tests.bot.harness import DEFERRED, EPHEMERAL

PHOTO_QUESTION = "can I post a photo of my kid at sports day on insta?"


async def test_defers_first_and_ephemeral(harness):
    records = await harness.command("ask", question=PHOTO_QUESTION)
    first = records[0]
    assert first.kind == "callback" and first.payload["type"] == DEFERRED
    assert first.payload["data"]["flags"] & EPHEMERAL
    assert all(r.ephemeral for r in records[1:])
    print([ (r.kind, r.text[:300], r.labels) for r in records])

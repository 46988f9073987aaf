"""Parents teaching the assistant without waiting for the committee, only where the committee turned it
on (`bot.auto_accept_picks` in config.yaml, off by default): when three different people picked the same
rule for the same question, the question becomes an example question of that rule, as the committee's
Accept would make it (written only if `check` passes, then reloaded). A question that may name someone
is never written this way: it stays in /gaps for the committee to edit."""
from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from assistant import review
from assistant.text import collapse_ws

if TYPE_CHECKING:
    from assistant.bot.client import PolicyBot

log = logging.getLogger("assistant.bot.learn")

AGREEING = 3  # different people who picked the same rule for the same question


async def accept_if_agreed(bot: "PolicyBot", recorded: "asyncio.Task", question: str, rule_id: str) -> bool:
    """After the pick `recorded` is stored: make the question an example of the rule if enough different
    people picked it, and delete their picks from the gaps. True if the knowledge was changed."""
    await recorded
    picks = await asyncio.to_thread(bot.feedback.agreeing_picks, question, rule_id, bot.settings.gaps_retention_days)
    if len(picks) < AGREEING:
        return False
    if review.possible_names(question, bot.service.kb.policy_text):
        log.info("auto-accept: %d people picked rule=%s, but the question may name someone: left for /gaps",
                 len(picks), rule_id)
        return False
    try:
        report = await bot.service.change(lambda directory: review.add_example(directory, rule_id,
                                                                               collapse_ws(question)))
    except review.ReviewError as exc:  # already an example, or the rule has gone: the committee decides
        log.info("auto-accept: not written for rule=%s (%s); left for /gaps", rule_id, type(exc).__name__)
        return False
    for gap in picks:
        await asyncio.to_thread(bot.feedback.delete_gap, gap.id)
    log.info("auto-accept: %d people picked rule=%s: now one of its example questions (reloaded: %s)",
             len(picks), rule_id, report.reload.ok)
    return True

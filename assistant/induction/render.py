"""Induction steps as text (Discord Markdown; the terminal strips the bold). Each renderer returns
blocks that are never split inside a rule's quoted wording; `pack` fits them into messages."""
from __future__ import annotations

from assistant.answer import quote_block
from assistant.induction.content import rule_block
from assistant.induction.flow import Feedback, Question, Reading, Signed, Step, Summary, UpToDate
from assistant.policy import KnowledgeBase

LETTERS = "ABCDE"


def percent(fraction: float) -> str:
    return f"{fraction:.0%}"


def reading_blocks(step: Reading, kb: KnowledgeBase) -> list[str]:
    kind = "What has changed in the" if step.refresher else "Induction:"
    head = f"**{kind} {step.policy.title}** (part {step.page + 1} of {step.pages})"
    blocks = [f"{step.notice}\n\n{head}" if step.notice else head]
    blocks += [rule_block(rule, kb) for rule in step.rules]
    if step.page + 1 == step.pages:
        blocks.append("That's everything to read. Next: a short quiz of everyday situations." if step.questions
                      else "That's everything to read. Next: confirm that you have read it.")
    return blocks


def question_text(step: Question) -> str:
    options = "\n".join(f"**{LETTERS[n]}.** {option}" for n, option in enumerate(step.item.options))
    head = f"{step.notice}\n\n" if step.notice else ""
    return f"{head}**Question {step.number} of {step.total}**\n{step.item.question}\n\n{options}"


def feedback_blocks(feedback: Feedback, kb: KnowledgeBase) -> list[str]:
    item = feedback.item
    if feedback.correct:
        verdict = f"✅ **Right.** {item.why}"
    else:
        verdict = (f"❌ **Not quite.** The answer is **{LETTERS[item.answer]}.** {item.correct}\n{item.why}")
    blocks = [verdict, quote_block(feedback.rule, kb, whole_passage=False)]
    blocks += [f"See also:\n{quote_block(rule, kb, whole_passage=False)}" for rule in feedback.see_also]
    return blocks


def summary_blocks(step: Summary, kb: KnowledgeBase) -> list[str]:
    head = f"{step.notice}\n\n" if step.notice else ""
    score = f"{head}**You scored {step.score} out of {step.total}** (pass mark {percent(step.pass_mark)})."
    if not step.total:
        score = f"{head}**That's everything.**"
    blocks = [score]
    if step.wrong:
        blocks.append("Here again are the rules behind the questions you got wrong:")
        shown: set[str] = set()
        for item, rule in step.wrong:
            text = f"Question: {item.question}\nThe answer: {item.correct}"
            if rule.id not in shown:  # two questions on one rule: quote it once
                text += f"\n{quote_block(rule, kb, whole_passage=False)}"
                shown.add(rule.id)
            blocks.append(text)
    if step.passed:
        blocks.append(f"To finish, please confirm: “{step.statement}”.")
    else:
        blocks.append("That's below the pass mark, so please read the rules above and try the quiz again.")
    return blocks


def signed_text(signed: Signed) -> str:
    s = signed.signoff
    return (f"✅ Signed: “{s.statement}” — {s.policy_title}, version {s.version[:8]} (last reviewed: "
            f"{s.last_reviewed or 'not recorded'}), {s.signed_at[:16].replace('T', ' ')} UTC. Thank you!")


def up_to_date_text(step: UpToDate) -> str:
    if not step.signoffs:
        return "There is nothing in the induction for your role."
    lines = [f"- {s.policy_title}: signed {s.signed_at[:10]} (version {s.version[:8]})" for s in step.signoffs]
    return "You're up to date: nothing has changed since you signed.\n" + "\n".join(lines)


def step_blocks(step: Step, kb: KnowledgeBase) -> list[str]:
    """Any step as blocks of text."""
    if isinstance(step, Reading):
        return reading_blocks(step, kb)
    if isinstance(step, Question):
        return [question_text(step)]
    if isinstance(step, Summary):
        return summary_blocks(step, kb)
    return [up_to_date_text(step)]


def pack(blocks: list[str], limit: int) -> list[str]:
    """Join blocks into as few messages of at most `limit` characters as possible, keeping each block
    whole when it fits (an over-long block is split between lines, or as a last resort mid-line)."""
    pieces: list[str] = []
    for block in blocks:
        if len(block) <= limit:
            pieces.append(block)
            continue
        line_block = ""
        for line in block.split("\n"):
            while len(line) > limit:
                pieces.append(line[:limit])
                line = line[limit:]
            if line_block and len(line_block) + 1 + len(line) > limit:
                pieces.append(line_block)
                line_block = ""
            line_block = f"{line_block}\n{line}" if line_block else line
        if line_block:
            pieces.append(line_block)
    messages: list[str] = []
    for piece in pieces:
        if messages and len(messages[-1]) + 2 + len(piece) <= limit:
            messages[-1] += f"\n\n{piece}"
        else:
            messages.append(piece)
    return messages

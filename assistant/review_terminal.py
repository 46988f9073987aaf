"""The committee's review queue in the terminal (`python -m assistant review`): the same choices as
/gaps in Discord, one question at a time, typed as a number or a letter."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from assistant import review
from assistant.bot.feedback import FeedbackStore, Gap
from assistant.config import Config
from assistant.ingest.conflicts import OffTopicConflict
from assistant.policy import Rule
from assistant.review import possible_names
from assistant.text import count_of

NEAREST = 5
CHOICES = ("[1-{n}] add as an example of that rule · r ID: of another rule · o not covered (off-topic) · "
           "e edit · d dismiss · s skip · q quit")
LABELLED_CHOICES = "a accept · e edit · x reject · [1-{n}] add to another rule instead · s skip · q quit"


def review_queue(store: FeedbackStore, nearest: Callable[[str, int], list[Rule]], knowledge_dir: Path,
                 days: int, read: Callable[[str], str] = input, write: Callable[[str], None] = print,
                 conflicts: Sequence[OffTopicConflict] = (), policy_text: str = "") -> int:
    """Offer to remove off-topic questions a rule may now answer (`conflicts`), then go through the
    gaps of the last `days` days; returns how many changes were saved."""
    changed = _off_topic(conflicts, knowledge_dir, read, write)
    queue = store.review_queue(days)
    if not queue:
        write(f"No declined or 👎 questions in the last {days} days.")
    else:
        write(f"{count_of(len(queue), 'question')} from the last {days} days to look at. Check that a question "
              "names no child or family before you save it (e: edit it first).")
    for position, gap in enumerate(queue, 1):
        outcome = _one(gap, position, len(queue), store, nearest, knowledge_dir, read, write, policy_text)
        if outcome is None:
            break
        changed += outcome
    if changed:
        write(f"{count_of(changed, 'change')} saved. The bot answers from them after /reload in Discord "
              "(or a restart); the terminal commands use them at once.")
    return changed


def _off_topic(conflicts: Sequence[OffTopicConflict], knowledge_dir: Path, read: Callable[[str], str],
               write: Callable[[str], None]) -> int:
    """Off-topic questions a rule may answer now: remove each one a policy answers (y), or keep it."""
    removed = 0
    for conflict in {c.question: c for c in conflicts}.values():
        write(f"\nOff-topic question “{conflict.question}” ({conflict.file.name}:{conflict.line}) may be "
              f"answered by rule {conflict.rule_id} now; while it is listed, questions like it are declined.")
        try:
            if read("Remove it from the off-topic list? y / N\n> ").strip().lower() not in ("y", "yes"):
                continue
            edit = review.remove_off_topic(knowledge_dir, conflict.question)
            review.apply(knowledge_dir, edit)
        except EOFError:
            break
        except review.ReviewError as exc:
            write(f"Nothing was changed: {exc}.")
            continue
        write(edit.said)
        removed += 1
    return removed


def _one(gap: Gap, position: int, total: int, store: FeedbackStore, nearest: Callable[[str, int], list[Rule]],
         knowledge_dir: Path, read: Callable[[str], str], write: Callable[[str], None],
         policy_text: str = "") -> int | None:
    """One gap: 1 if a change was saved, 0 if not, None to stop."""
    question, edited = gap.question, False
    rules = nearest(question, NEAREST)
    if gap.labelled:
        write(f"\nQuestion {position} of {total}: parents chose {gap.rule_id} for ({gap.day.isoformat()}):")
    else:
        write(f"\nQuestion {position} of {total}, {gap.why} on {gap.day.isoformat()}:")
    write(f"  “{question}”" + (f"\n  Their comment: {gap.comment}" if gap.comment else ""))
    _list(rules, write)
    while True:
        try:
            typed = read((LABELLED_CHOICES if gap.labelled else CHOICES).format(n=len(rules) or 1) + "\n> ").strip()
        except EOFError:
            return None
        choice, _, argument = typed.partition(" ")
        choice = choice.lower()
        names = [] if edited else possible_names(question, policy_text)
        try:
            if choice == "q":
                return None
            if choice == "s":
                return 0
            if choice == "d" or (choice == "x" and gap.labelled):
                store.delete_gap(gap.id)
                write(("Rejected" if choice == "x" else "Dismissed") +
                      ": the question was deleted and nothing was added.")
                return 0
            if choice == "e":
                changed = " ".join(read(f"The question as it will be saved (was: {question})\n> ").split())
                if changed:
                    question, edited = changed, True
                    rules = nearest(question, NEAREST)
                    _list(rules, write)
                continue
            if names and choice in {"a", "r", "o"} | {str(n) for n in range(1, len(rules) + 1)}:
                write(f"It may name someone ({', '.join(names)}): edit it first (e), so no child's or "
                      "family's name reaches a rules file.")
                continue
            if choice == "a" and gap.labelled:
                edit = review.add_example(knowledge_dir, gap.rule_id, question)
            elif choice == "o":
                edit = review.add_off_topic(knowledge_dir, question)
            elif choice.isdigit() and 1 <= int(choice) <= len(rules):
                edit = review.add_example(knowledge_dir, rules[int(choice) - 1].id, question)
            elif choice == "r" and argument.strip():
                edit = review.add_example(knowledge_dir, argument.strip(), question)
            else:
                write("Please type one of the choices.")
                continue
            warnings = review.apply(knowledge_dir, edit)
        except review.ReviewError as exc:
            write(f"Nothing was changed: {exc}.")
            continue
        store.delete_gap(gap.id)
        write(f"{edit.said} Check passed." + (f" {count_of(len(warnings), 'warning')} about that file: see "
                                               "`python -m assistant check`." if warnings else ""))
        return 1


def _list(rules: list[Rule], write: Callable[[str], None]) -> None:
    if not rules:
        write("  No rule comes near it.")
    for n, rule in enumerate(rules, 1):
        write(f"  {n}. {rule.id} ({rule.section}): {(rule.plain or rule.text)[:100]}")


def review_command(config: Config, days: int) -> int:
    """`python -m assistant review`: the queue over this configuration's database and knowledge."""
    from assistant.engine import Engine
    from assistant.storage import Database

    from assistant.checker import answered_off_topic

    store = FeedbackStore(Database.open(config))
    engine = Engine.build(config)
    review_queue(store, engine.nearest, config.knowledge_dir, days,
                 conflicts=answered_off_topic(config.knowledge_dir, engine.kb),
                 policy_text=engine.kb.policy_text)
    return 0

"""The induction in a terminal (`python -m assistant quiz`) and the leader's commands
(`python -m assistant induction report|forget`)."""
from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Callable

from assistant.config import Config
from assistant.induction.flow import Feedback, Induction, Person, Question, Reading, Signed, Summary, UpToDate
from assistant.induction.render import LETTERS, feedback_blocks, signed_text, step_blocks
from assistant.induction.report import status_lines, status_rows, write_csv
from assistant.induction.store import InductionStore
from assistant.loader import load_knowledge
from assistant.storage import Database
from assistant.text import count_of

CLI_PREFIX = "cli:"  # terminal users are recorded as "cli:NAME", beside Discord user ids
STOP = "Stopped. Your progress is saved: run the same command to carry on where you left off."


def _show(blocks: list[str], write: Callable[[str], None]) -> None:
    write("\n" + "\n\n".join(blocks).replace("**", ""))


def walk(induction: Induction, person: Person, read: Callable[[str], str] = input,
         write: Callable[[str], None] = print) -> int:
    """Run the walk-through, quiz and sign-off interactively until done or stopped ('q' or end of input)."""
    kb = induction.kb
    step = induction.current(person)
    try:
        while not isinstance(step, UpToDate):
            _show(step_blocks(step, kb), write)
            if isinstance(step, Reading):
                if read("\n[Enter] continue, q stop: ").strip().lower() == "q":
                    break
                step = induction.advance(person, step.page)
            elif isinstance(step, Question):
                letters = LETTERS[:len(step.item.options)]
                reply = read(f"\nYour answer ({', '.join(letters)}; q to stop): ").strip().upper()
                if reply == "Q":
                    break
                if len(reply) != 1 or reply not in letters:
                    write(f"Please type one of {', '.join(letters)}.")
                    continue
                outcome = induction.answer(person, step.key, letters.index(reply))
                if isinstance(outcome, Feedback):
                    _show(feedback_blocks(outcome, kb), write)
                    outcome = outcome.next
                step = outcome
            elif isinstance(step, Summary):
                if not step.passed:
                    if read("\n[Enter] try the quiz again, q stop: ").strip().lower() == "q":
                        break
                    step = induction.retake(person)
                    continue
                if read("\nType yes to sign (q to stop): ").strip().lower() not in ("yes", "y"):
                    break
                outcome = induction.sign_off(person)
                if isinstance(outcome, Signed):
                    write("\n" + signed_text(outcome))
                    outcome = outcome.next
                step = outcome
        else:
            _show(step_blocks(step, kb), write)
            return 0
    except EOFError:
        pass
    write("\n" + STOP)
    return 0


def quiz_command(config: Config, user: str | None, role: str) -> int:
    name = (user or getpass.getuser() or "terminal").strip()
    store = InductionStore(Database.open(config))
    induction = Induction(load_knowledge(config.knowledge_dir), store, config.induction)
    print(f"Induction for {name} (as {role}); records are kept as user id {CLI_PREFIX}{name}. "
          "Type q at any prompt to stop and carry on later.")
    return walk(induction, Person(f"{CLI_PREFIX}{name}", name, (role,)))


def report_command(config: Config, csv_path: str | None) -> int:
    store = InductionStore(Database.open(config))
    rows = status_rows(load_knowledge(config.knowledge_dir), store, config.induction)
    if csv_path == "-":  # the CSV alone on standard output, for a pipe or a spreadsheet import
        write_csv(rows, sys.stdout)
        return 0
    print("\n".join(status_lines(rows)) if rows else "No induction records yet.")
    if csv_path:
        with Path(csv_path).open("w", encoding="utf-8", newline="") as out:
            write_csv(rows, out)
        print(f"Wrote {count_of(len(rows), 'row')} to {csv_path}", file=sys.stderr)
    return 0


def forget_command(config: Config, user_id: str) -> int:
    gone = InductionStore(Database.open(config)).forget(user_id.strip())
    print(f"Deleted {count_of(gone, 'induction record')} of user {user_id}." if gone
          else f"No induction records of user {user_id}.")
    return 0

"""The command line: a thin front end over the engine (`python -m assistant --help`)."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
from pathlib import Path

from assistant import __version__
from assistant.config import AUDIENCES, Config, load_config
from assistant.errors import AssistantError, ConfigError
from assistant.text import decode_line, input_lines

SAMPLE_QUESTION = "can my sister put the christmas show pics on her insta?"
CONFIG_VARIABLE = "POLICY_ASSISTANT_CONFIG"


def _notice(message: str) -> None:
    print(message, file=sys.stderr)


def _width() -> int | None:
    """The terminal's width to wrap answers to, or None when the output is not a terminal (a pipe, a file)."""
    if not sys.stdout.isatty():
        return None
    return max(40, shutil.get_terminal_size().columns - 1)


def _engine(config: Config):
    from assistant.engine import Engine  # imports torch: only for commands that need the model

    return Engine.build(config, progress=sys.stderr.isatty(), notice=_notice)


def cmd_ask(args: argparse.Namespace, config: Config) -> int:
    from assistant.render import answer_json, answer_text

    engine = _engine(config)
    if args.question is not None:
        # os.fsencode gives back the bytes of an argument that was not valid UTF-8, to decode like stdin.
        questions = [decode_line(os.fsencode(args.question))]
    elif args.json:
        stdin = getattr(sys.stdin, "buffer", None)
        questions = input_lines(stdin) if stdin is not None else (line.rstrip("\n") for line in sys.stdin)
    else:
        questions = [SAMPLE_QUESTION]
        _notice(f"(no question given; asking the sample question: {SAMPLE_QUESTION!r})")
    for question in questions:
        answer = engine.ask(question, args.audience)
        if args.json:
            print(json.dumps(answer_json(answer, engine.kb), ensure_ascii=False), flush=True)
        else:
            print(answer_text(answer, _width()))
    return 0


def cmd_chat(args: argparse.Namespace, config: Config) -> int:
    from assistant.render import answer_text

    engine = _engine(config)
    print(f"Ask about the pre-school's policies (as {args.audience or config.default_audience}). "
          "An empty line or Ctrl-D ends the chat.")
    offered: list[str] = []  # the rules of the last choice: typing one's number answers it
    while True:
        try:
            question = input("\nyou> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        except UnicodeDecodeError:
            print("I couldn't read that line (the terminal sent characters that aren't UTF-8); "
                  "please type it again.")
            continue
        if not question.strip():
            return 0
        picked = question.strip().rstrip(".")
        if offered and picked.isdigit() and 1 <= int(picked) <= len(offered):
            answer = engine.answer_rule(offered[int(picked) - 1], audience=args.audience)
            offered = []
            if answer is not None:
                print(answer_text(answer, _width()))
                continue
        answer = engine.ask(question, args.audience)
        offered = [rule.id for rule in answer.rules] if answer.kind == "choose" else []
        print(answer_text(answer, _width()))
        if offered:
            print(f"(type 1 to {len(offered)} to see that rule in full)")


def cmd_index(args: argparse.Namespace, config: Config) -> int:
    from assistant.index import build_index, load_or_build, save_index
    from assistant.loader import load_knowledge
    from assistant.tuning import tuned_embedder

    kb = load_knowledge(config.knowledge_dir)
    embedder = tuned_embedder(config, kb, progress=sys.stderr.isatty(), notice=_notice)
    if args.force:
        index = build_index(kb, embedder, progress=sys.stderr.isatty())
        save_index(index, config.index_dir)
    else:
        index = load_or_build(kb, embedder, config.index_dir, progress=sys.stderr.isatty(), notice=_notice)
    print(f"Index ready: {index.manifest['entries']} texts from {len(kb.rules)} rules, "
          f"model {index.manifest['model']}, built {index.manifest['built_at']}, in {config.index_dir}")
    return 0


def cmd_check(args: argparse.Namespace, config: Config) -> int:
    from assistant.checker import check, policy_line

    kb, problems = check(config.knowledge_dir)
    for problem in problems:
        print(problem)
    errors = sum(p.severity == "error" for p in problems)
    if kb is not None:
        print()
        for policy in kb.policies.values():
            print(policy_line(kb, policy, problems))
        print(f"{len(kb.policies)} policies, {len(kb.rules)} rules: {errors} errors, "
              f"{len(problems) - errors} warnings")
    else:
        print(f"{errors} errors: the knowledge cannot be loaded")
    return 1 if errors else 0


def cmd_eval(args: argparse.Namespace, config: Config) -> int:
    from assistant.evaluation import evaluate, load_questions

    engine = _engine(config)
    questions = load_questions(Path(args.questions), {r.id for r in engine.kb.rules})
    report = evaluate(engine, questions)
    print("\n".join(report.lines()))
    if report.misses:
        print(f"\nmisses ({len(report.misses)}):")
        for miss in report.misses:
            expected = ", ".join(miss.question.expected) or "decline"
            print(f"- [{miss.question.audience}] {miss.question.text!r}\n    expected {expected}; got {miss.got}")
    below = [f"{name} {value:.3f} is below the floor {floor:.3f}"
             for name, value, floor in (("hit@1", report.rate(report.hit1, report.in_scope), args.min_hit1),
                                        ("declined", report.rate(report.declined, report.out_of_scope),
                                         args.min_declined))
             if floor is not None and value < floor]
    for line in below:
        print(f"eval: {line}", file=sys.stderr)
    return 1 if below else 0


def cmd_bot(args: argparse.Namespace, config: Config) -> int:
    from assistant.bot.runner import run  # imports discord.py and, later, torch: only for the bot

    return run(config, sync=args.sync)


def cmd_quiz(args: argparse.Namespace, config: Config) -> int:
    from assistant.induction.terminal import quiz_command  # no model needed: knowledge and the database only

    return quiz_command(config, args.user, args.role)


def cmd_induction_report(args: argparse.Namespace, config: Config) -> int:
    from assistant.induction.terminal import report_command

    return report_command(config, args.csv)


def cmd_induction_forget(args: argparse.Namespace, config: Config) -> int:
    from assistant.induction.terminal import forget_command

    return forget_command(config, args.user_id)


def cmd_ingest(args: argparse.Namespace, config: Config) -> int:
    paths = [Path(p) for p in args.file]
    if len(paths) > 1 or paths[0].is_dir():
        return _ingest_pack(args, paths, config)
    from assistant.ingest import ingest_file  # imports the Word and PDF readers: only for this command

    result = ingest_file(paths[0], config.knowledge_dir, policy_id=args.id, title=args.title,
                         reviewed=args.reviewed, dry_run=args.dry_run, progress=sys.stderr.isatty())
    print("\n".join(result.summary.lines()))
    to_do = [w for w in result.warnings if w.code in ("no_plain", "no_examples", "guessed_audience")]
    for warning in to_do:
        print(f"To do: {warning.message}")
    flagged = sum(w.code == "review" for w in result.warnings)
    print(f"{flagged} are flagged for review, {len(result.warnings) - len(to_do) - flagged} other warnings: "
          "see `check`.")
    if result.written:
        print(f"Wrote {result.source_file} and {result.rules_file}; the index is rebuilt on next start.")
    else:
        print(f"Dry run: nothing written (would write {result.source_file} and {result.rules_file}).")
    return 0


def cmd_review(args: argparse.Namespace, config: Config) -> int:
    from assistant.review_terminal import review_command

    return review_command(config, args.days)


def _ingest_pack(args: argparse.Namespace, paths: list[Path], config: Config) -> int:
    from assistant.ingest import IngestError
    from assistant.ingest.pack import ingest_pack

    if args.id or args.title:
        raise IngestError("--id and --title name one policy: give them with one file, not a folder or several")
    pack = ingest_pack(paths, config.knowledge_dir, reviewed=args.reviewed, dry_run=args.dry_run,
                       progress=sys.stderr.isatty())
    print("\n".join(pack.lines()))
    if pack.results:
        print("Dry run: nothing written." if args.dry_run else
              "The index is rebuilt on next start; `check` lists what each policy still needs.")
    return 1 if pack.refused else 0


def cmd_policies(args: argparse.Namespace, config: Config) -> int:
    from assistant.checker import policy_line
    from assistant.loader import load_knowledge

    kb = load_knowledge(config.knowledge_dir)
    suggestions = {}
    if args.bank:
        from assistant.bank import load_bank
        from assistant.bank.nearest import nearest_concepts
        from assistant.tuning import tuned_embedder

        embedder = tuned_embedder(config, kb, progress=sys.stderr.isatty(), notice=_notice)
        suggestions = nearest_concepts(kb, load_bank(), embedder)
    for policy in kb.policies.values():
        print(f"{policy_line(kb, policy)} (source {policy.source.name})")
        for rule in (r for r in kb.rules if r.policy_id == policy.id and suggestions):
            if rule.examples and rule.plain:
                continue  # the committee has written its own: nothing to suggest
            for found in suggestions[rule.id]:
                concept = found.concept
                print(f"  {rule.id}: like “{concept.statements[0]}” ({concept.id}, {found.similarity:.2f}); "
                      f"parents ask e.g. “{concept.questions[0]}”")
    if args.bank:
        print("Suggestions only: nothing is added to the rules files unless you write it there.")
    return 0


def cmd_bank_check(args: argparse.Namespace, config: Config) -> int:
    from assistant.bank import load_bank
    from assistant.bank.domain import read_manifest

    bank = load_bank()
    for topic in bank.topics:
        print(f"{topic.id}: {len(topic.concepts)} concepts, {sum(len(c.questions) for c in topic.concepts)} "
              f"questions, {len(topic.not_answered)} not answered")
    print(f"{len(bank.topics)} topics, {len(bank.concepts)} concepts, {len(bank.questions)} questions")
    manifest = read_manifest()
    if manifest is None or manifest.get("bank_digest") != bank.digest:
        print("The domain adapter was not built from this bank: run `python -m assistant bank train`.")
        return 1
    print(f"The domain adapter matches this bank ({manifest['base_model']}, {manifest['pairs']} pairs).")
    return 0


def cmd_bank_train(args: argparse.Namespace, config: Config) -> int:
    from assistant.bank import load_bank
    from assistant.bank.domain import train_adapter

    bank = load_bank()
    report = train_adapter(bank, config.model, epochs=args.epochs, progress=sys.stderr.isatty())
    print(f"Trained the domain adapter on {report.pairs} pairs in {report.steps} steps ({report.seconds:.0f} s); "
          "the next start fits the setting's examples on top of it.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policy-assistant", description=__doc__)
    parser.add_argument("--config", help=f"settings file (default: ${CONFIG_VARIABLE}, else ./config.yaml)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def audience(p: argparse.ArgumentParser) -> None:
        p.add_argument("--as", dest="audience", choices=AUDIENCES, help="who is asking (default: parents)")

    ask = commands.add_parser("ask", help="answer a question (or, with --json and no question, one per stdin line)")
    ask.add_argument("question", nargs="?", help="the question; omitted: a sample question, or stdin with --json")
    ask.add_argument("--json", action="store_true", help="one JSON object per answer")
    audience(ask)
    ask.set_defaults(handler=cmd_ask)

    chat = commands.add_parser("chat", help="ask questions interactively")
    audience(chat)
    chat.set_defaults(handler=cmd_chat)

    index = commands.add_parser("index", help="build the index if it is missing or stale")
    index.add_argument("--force", action="store_true", help="rebuild even if it is current")
    index.set_defaults(handler=cmd_index)

    commands.add_parser("check", help="validate the knowledge files").set_defaults(handler=cmd_check)

    evaluate = commands.add_parser("eval", help="score the engine on a labelled question set")
    evaluate.add_argument("--questions", default="eval/questions.yaml")
    evaluate.add_argument("--min-hit1", type=float, metavar="RATE", help="exit 1 if hit@1 is below RATE (for CI)")
    evaluate.add_argument("--min-declined", type=float, metavar="RATE",
                          help="exit 1 if the out-of-scope declined rate is below RATE")
    evaluate.set_defaults(handler=cmd_eval)

    ingest = commands.add_parser("ingest", help="add or update policies from .txt, .md, .docx or .pdf files")
    ingest.add_argument("file", nargs="+", help="the policy document, or several, or a folder of them (a policy pack)")
    ingest.add_argument("--id", help="policy id (default: an existing policy with the same title, else from the file name)")
    ingest.add_argument("--title", help="policy title (default: kept, or the document's title)")
    ingest.add_argument("--reviewed", type=_date, help="last-reviewed date, YYYY-MM-DD (default: today)")
    ingest.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    ingest.set_defaults(handler=cmd_ingest)

    policies = commands.add_parser("policies", help="list the policies in the knowledge base")
    policies.add_argument("--bank", action="store_true",
                          help="under each rule still without examples, the question bank's nearest concepts")
    policies.set_defaults(handler=cmd_policies)

    review = commands.add_parser("review", help="the committee's review of declined and 👎 questions (as /gaps)")
    review.add_argument("--days", type=int, default=30, help="how many days back to look (default 30)")
    review.set_defaults(handler=cmd_review)

    bot = commands.add_parser("bot", help="run the Discord bot (token from DISCORD_TOKEN; see docs/bot.md)")
    bot.add_argument("--sync", action="store_true", help="sync the slash commands to the server even if unchanged")
    bot.set_defaults(handler=cmd_bot)

    bank = commands.add_parser("bank", help="the question bank the domain model is trained on")
    bank_actions = bank.add_subparsers(dest="action", required=True, metavar="ACTION")
    bank_actions.add_parser("check", help="validate the bank and say whether the adapter was built from it"
                            ).set_defaults(handler=cmd_bank_check)
    train = bank_actions.add_parser("train", help="rebuild the domain adapter from the bank (about 50 minutes)")
    train.add_argument("--epochs", type=int, default=1, help="passes over the bank (default 1)")
    train.set_defaults(handler=cmd_bank_train)

    from assistant.induction.content import ROLES  # light: the roles of the induction

    quiz = commands.add_parser("quiz", help="staff induction in the terminal: walk-through, quiz and sign-off")
    quiz.add_argument("--user", help="your name for the records (default: your login name)")
    quiz.add_argument("--as", dest="role", choices=ROLES, default="staff",
                      help="whose rules (default: staff; students on placement: visitors, or staff)")
    quiz.set_defaults(handler=cmd_quiz)

    induction = commands.add_parser("induction", help="staff induction records (see docs/induction.md)")
    actions = induction.add_subparsers(dest="action", required=True, metavar="ACTION")
    report = actions.add_parser("report", help="who started, finished, passed, signed, and who is due again")
    report.add_argument("--csv", metavar="FILE", help="also write the report as CSV to FILE")
    report.set_defaults(handler=cmd_induction_report)
    forget = actions.add_parser("forget", help="delete every induction record of one person")
    forget.add_argument("user_id", help="their Discord user id (or cli:NAME for terminal users)")
    forget.set_defaults(handler=cmd_induction_forget)
    return parser


def _date(value: str) -> "dt.date":
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _config_path(given: str | None) -> Path:
    return Path(given or os.environ.get(CONFIG_VARIABLE) or "config.yaml")


def main(argv: list[str] | None = None) -> int:
    """Run one command; 0 on success, 1 on an error (said in one line), 2 on a usage error (argparse)."""
    args = build_parser().parse_args(argv)
    path = _config_path(args.config)
    try:
        if not path.exists() and not args.config and not os.environ.get(CONFIG_VARIABLE):
            raise ConfigError(f"no config.yaml in {Path.cwd()}: run from the project folder, pass "
                              f"--config PATH, or set {CONFIG_VARIABLE}")
        config = load_config(path)
        return args.handler(args, config)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C, during the model load or anywhere: no traceback
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0

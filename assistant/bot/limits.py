"""Discord's length limits, and the helpers that keep every message within them: escaping echoed
user text, shortening with a pointer, splitting long text, and a last check before anything is sent."""
from __future__ import annotations

import re
from collections.abc import Sequence

import discord

CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
FIELD_NAME = 256
FIELD_VALUE = 1024
FIELDS = 25
EMBED_TOTAL = 6000  # over all embeds of one message
EMBEDS = 10
FOOTER = 2048
BUTTON_LABEL = 80
CHOICE_NAME = 100
MODAL_INPUT = 4000
ELLIPSIS = "…"
_MENTION = re.compile(r"<(@[!&]?)(\d)")
# Discord's own idea of a link (as in escape_markdown), unless it is already inside <...>.
_LINK = re.compile(r"(?<!<)\b(?:https?|steam)://[^\s<]+[^<.,:;\"'\]\s]")
_BARE_INVITE = re.compile(r"(?<![\w/.])(discord(?:app)?)(\.(?:gg|io|me|li|com/invite)/)", re.I)


class LimitError(ValueError):
    """A message would break one of Discord's limits: a bug in the caller, never shown to a user."""


def escape_user_text(text: str, limit: int = CONTENT) -> str:
    """User text made safe to echo: mentions defused, Markdown shown literally, links and invites
    without a preview (a parent's link must not unfurl in a public or staff channel), at most `limit` chars."""
    escaped = discord.utils.escape_mentions(text)
    # escape_mentions only knows 17-20 digit ids; defuse any <@...>, <@&...> or <@!...> whatever its length.
    escaped = _MENTION.sub(lambda m: f"<{m.group(1)}\u200b{m.group(2)}", escaped)
    escaped = discord.utils.escape_markdown(escaped, as_needed=False)
    escaped = _LINK.sub(lambda m: f"<{m.group(0)}>", escaped)
    escaped = _BARE_INVITE.sub(lambda m: f"{m.group(1)}\u200b{m.group(2)}", escaped)
    return shorten(escaped, limit)


def unescape_user_text(text: str) -> str:
    """The words of escape_user_text's output as typed (a shortened echo stays shortened)."""
    text = text.replace("\u200b", "")
    text = re.sub(r"<((?:https?|steam)://[^\s<>]+)>", r"\1", text)
    return re.sub(r"\\([^\w\s])", r"\1", text)


def shorten(text: str, limit: int, pointer: str = "") -> str:
    """`text` if it fits, else its start, an ellipsis and `pointer` (e.g. "full wording: /rule x")."""
    if len(text) <= limit:
        return text
    tail = ELLIPSIS + (f"\n{pointer}" if pointer else "")
    if len(tail) >= limit:
        return text[:limit]
    cut = text[:limit - len(tail)]
    # Prefer to cut at a word boundary and not to leave half an escape behind.
    space = cut.rfind(" ")
    if space > len(cut) * 0.8:
        cut = cut[:space]
    return cut.rstrip("\\") + tail


def split(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` chars, broken at line ends, then spaces, then anywhere."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest:
        pieces.append(rest)
    return pieces


def embed_problems(embed: discord.Embed) -> list[str]:
    """Which per-embed limits this embed breaks."""
    problems = []
    if embed.title and len(embed.title) > EMBED_TITLE:
        problems.append(f"title {len(embed.title)} > {EMBED_TITLE}")
    if embed.description and len(embed.description) > EMBED_DESCRIPTION:
        problems.append(f"description {len(embed.description)} > {EMBED_DESCRIPTION}")
    if len(embed.fields) > FIELDS:
        problems.append(f"{len(embed.fields)} fields > {FIELDS}")
    for field in embed.fields:
        if len(field.name or "") > FIELD_NAME or len(field.value or "") > FIELD_VALUE:
            problems.append(f"field {field.name[:20]!r} too long")
    if embed.footer.text and len(embed.footer.text) > FOOTER:
        problems.append(f"footer {len(embed.footer.text)} > {FOOTER}")
    return problems


def check_message(content: str | None = None, embeds: Sequence[discord.Embed] = ()) -> None:
    """Raise LimitError if the message breaks any limit; called before every send."""
    problems = []
    if content and len(content) > CONTENT:
        problems.append(f"content {len(content)} > {CONTENT}")
    if len(embeds) > EMBEDS:
        problems.append(f"{len(embeds)} embeds > {EMBEDS}")
    for embed in embeds:
        problems.extend(embed_problems(embed))
    total = sum(len(e) for e in embeds)  # discord.Embed.__len__ counts what Discord counts
    if total > EMBED_TOTAL:
        problems.append(f"embeds total {total} > {EMBED_TOTAL}")
    if problems:
        raise LimitError("; ".join(problems))

"""The answer engine: knowledge → index → retrieval → answer, with no knowledge of Discord or terminals."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from assistant.answer import ENGLISH_ONLY, Answer, compose, contact_text, decline, rule_answer
from assistant.config import AUDIENCES, Config, ContactConfig, RetrievalConfig
from assistant.embedder import Embedder
from assistant.index import load_or_build
from assistant.loader import load_knowledge
from assistant.policy import KnowledgeBase, Rule
from assistant.refusals import refusal_for
from assistant.retrieval import Ranking, Retriever
from assistant.small_talk import about_assistant_reply, asks_about_assistant, small_talk_reply
from assistant.text import clean_question, has_words, mostly_latin, only_links

EMPTY_REPLY = ("What would you like to know? Ask me about the pre-school's policies, for example "
               "“Can I put photos from the nativity on Facebook?”")
LINK_REPLY = ("I can't open links, sorry. Tell me in words what you'd like to know, for example "
              "“Can I share this on Facebook?”")


@dataclass
class Engine:
    """Answers questions from one loaded knowledge base; thread-safe, so front ends can call it off their loop."""

    kb: KnowledgeBase
    retriever: Retriever
    settings: RetrievalConfig
    default_audience: str = "parents"
    contact: ContactConfig = ContactConfig()

    @classmethod
    def build(cls, config: Config, embedder: Embedder | None = None, *, progress: bool = False,
              notice: Callable[[str], None] = lambda _msg: None) -> "Engine":
        """Load knowledge (strictly), load or rebuild the index, ready the retriever."""
        kb = load_knowledge(config.knowledge_dir)
        return cls.from_knowledge(kb, config, embedder, progress=progress, notice=notice)

    @classmethod
    def from_knowledge(cls, kb: KnowledgeBase, config: Config, embedder: Embedder | None = None, *,
                       progress: bool = False, notice: Callable[[str], None] = lambda _msg: None) -> "Engine":
        """An engine over knowledge already loaded and checked (so /reload reads the files once)."""
        if embedder is None:
            from assistant.tuning import tuned_embedder  # imports torch: only when no model was given

            embedder = tuned_embedder(config, kb, progress=progress, notice=notice)
        index = load_or_build(kb, embedder, config.index_dir, progress=progress, notice=notice)
        return cls(kb, Retriever(kb, index, embedder, config.retrieval), config.retrieval,
                   config.default_audience, config.contact)

    def ask(self, question: str, audience: str | None = None) -> Answer:
        """Answer one question for an asker of the given audience (parents, staff, committee, visitors)."""
        return self.ask_ranked(question, audience)[0]

    def ask_ranked(self, question: str, audience: str | None = None) -> tuple[Answer, Ranking | None]:
        """The answer and the full ranking behind it (None when no search ran), for evaluation."""
        audience = audience or self.default_audience
        if audience not in AUDIENCES:
            raise ValueError(f"unknown audience {audience!r}")
        text = clean_question(question)
        if not has_words(text):
            return Answer(text, "empty", EMPTY_REPLY, EMPTY_REPLY), None
        if only_links(text):
            return Answer(text, "empty", LINK_REPLY, LINK_REPLY), None
        chat = small_talk_reply(text)
        if chat is None and asks_about_assistant(text):
            chat = about_assistant_reply([p.title for p in self.kb.policies.values()],
                                         contact_text(self.kb, self.contact))
        if chat:
            return Answer(text, "small_talk", chat, chat), None
        refused = refusal_for(text)
        if refused:
            return Answer(text, "refused", refused, refused), None
        if not mostly_latin(text):
            # Searched, such a question would only meet noise; saying why is kinder than "no policy".
            return decline(text[:self.settings.max_question_chars], self.kb, [], self.contact, ENGLISH_ONLY), None
        limit = self.settings.max_question_chars
        if len(text) > limit:
            inner = _questions_inside(text)
            if not inner or len(inner) > limit:
                reply = (f"That's a long message! Could you ask your question in a sentence or two "
                         f"(under {limit} characters)?")
                return Answer(text[:limit], "too_long", reply, reply), None
            text = inner
        ranking = self.retriever.rank(text, audience)
        return compose(text, ranking, self.kb, self.settings, self.contact), ranking

    def nearest(self, question: str, count: int = 3) -> list[Rule]:
        """The rules nearest a question, of any audience and whether or not it would be answered: what
        the committee's review offers to attach a declined question to."""
        text = clean_question(question)[: self.settings.max_question_chars]
        if not has_words(text):
            return []
        return [m.rule for m in self.retriever.rank(text, "committee").matches[:count]]

    def answer_rule(self, rule_id: str, question: str = "", audience: str | None = None) -> Answer | None:
        """The full answer for one rule by id (a rule picked from a choice, `/rule`); None if unknown or not visible."""
        rule = self.kb.rule(rule_id)
        if rule is None or not rule.visible_to(audience or self.default_audience):
            return None
        return rule_answer(question, rule, self.kb)


def _questions_inside(text: str) -> str:
    """The sentences that ask something, from a long message ('... so can I post it on fb?')."""
    sentences = re.split(r"(?<=[.!?])\s+", text)
    return " ".join(s for s in sentences if s.endswith("?"))

"""The question bank: what parents ask about pre-school policies, the same in every setting.

Each topic file (`topics/<id>.yaml`) holds concepts — one thing one rule of a policy would say —
each with the ways policies word it (`statements`, with the variants settings really choose) and
the ways parents, grandparents, staff and committee members ask about it (`questions`), plus
questions that policies on the topic usually do not answer (`not_answered`), and the public forum
threads whose phrasing the questions were modelled on (`threads`). The project trains its domain
model on it; it never becomes a setting's example questions unasked."""
from assistant.bank.model import Bank, Concept, Topic, load_bank, BankError

__all__ = ["Bank", "Concept", "Topic", "load_bank", "BankError"]

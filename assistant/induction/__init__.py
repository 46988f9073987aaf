"""Staff induction: a walk-through of the rules that apply to a person, a scenario quiz, a sign-off
that records which version of a policy they signed, and refreshers when the wording changes.

Engine-side only (no Discord): `flow.Induction` drives it, `store.InductionStore` keeps it in the
bot's SQLite file, `report` lists it for the leader, `render` turns steps into text.
"""

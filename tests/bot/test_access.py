"""Who sees what: staff-only (internal) wording never reaches a parent, a DM or a public channel;
committee commands refuse everyone else at run time."""
from __future__ import annotations

import pytest

from assistant.bot.cogs.mentions import STAFF_ONLY_IN_PUBLIC
from assistant.bot.errors import COMMITTEE_ONLY
from tests.bot.conftest import COMMITTEE_ROLE, INTERNAL_SENTENCE, STAFF_ROLE

STAFF_QUESTION = "how do staff report a worrying social media post about a child?"
INTERNAL_ID = "sm-staff-report-posts"


def leaked(records) -> bool:
    return any(INTERNAL_SENTENCE[:60] in r.text or INTERNAL_ID in r.text for r in records)


async def test_staff_see_the_internal_rule_privately(internal_harness):
    records = await internal_harness.command("ask", question=STAFF_QUESTION, role_ids=[STAFF_ROLE])
    assert leaked(records)  # the fixture really holds a rule staff are answered from
    assert all(r.ephemeral for r in records if r.kind == "followup")
    assert "Share in channel" not in records[-1].labels  # never offered for staff-only wording


async def test_staff_answers_stay_private_even_when_answers_are_public(internal_harness):
    import dataclasses

    bot = internal_harness.bot
    bot.settings = dataclasses.replace(bot.settings, ephemeral=False)
    staff = await internal_harness.command("ask", question=STAFF_QUESTION, role_ids=[STAFF_ROLE])
    parent = await internal_harness.command("ask", question="can i post pics of the kids on the preschool fb page")
    assert staff[0].payload["data"]["flags"] & 64 and leaked(staff)
    assert parent[0].payload["type"] == 5 and not parent[0].ephemeral and not parent[-1].ephemeral


@pytest.mark.parametrize("role_ids", [[], [123456]])
async def test_parents_never_get_the_internal_rule(internal_harness, role_ids):
    records = await internal_harness.command("ask", question=STAFF_QUESTION, role_ids=role_ids)
    assert records and not leaked(records)


async def test_committee_is_answered_as_committee(internal_harness):
    records = await internal_harness.command("ask", question=STAFF_QUESTION, role_ids=[COMMITTEE_ROLE])
    assert leaked(records)


async def test_dm_never_gets_the_internal_rule(internal_harness):
    # Even from someone who is staff on the server: a DM carries no roles and is answered as a parent.
    records = await internal_harness.message(STAFF_QUESTION, guild=False)
    assert records and records[-1].kind == "channel" and not leaked(records)


async def test_staff_mention_in_a_channel_never_quotes_internal_wording(internal_harness):
    records = await internal_harness.message(f"<@{internal_harness.bot.user.id}> {STAFF_QUESTION}",
                                             role_ids=[STAFF_ROLE], mention_bot=True)
    assert [r.content for r in records] == [STAFF_ONLY_IN_PUBLIC] and not leaked(records)


async def test_rule_and_its_autocomplete_hide_internal_rules_from_parents(internal_harness):
    parent = await internal_harness.command("rule", rule_id=INTERNAL_ID)
    assert not leaked(parent) and "don't know a rule" in parent[-1].content
    assert INTERNAL_ID not in [c["value"] for c in await internal_harness.autocomplete("rule", "rule_id", rule_id="sm-")]
    staff = await internal_harness.command("rule", rule_id=INTERNAL_ID, role_ids=[STAFF_ROLE])
    assert leaked(staff)
    staff_choices = await internal_harness.autocomplete("rule", "rule_id", role_ids=[STAFF_ROLE], rule_id="report")
    assert INTERNAL_ID in [c["value"] for c in staff_choices]


async def test_policy_browsing_hides_internal_rules_from_parents(internal_harness):
    parent = await internal_harness.command("policy", policy="social-media")
    staff = await internal_harness.command("policy", policy="social-media", role_ids=[STAFF_ROLE])
    assert not leaked(parent) and leaked(staff)


@pytest.mark.parametrize("command", ["gaps", "reload"])
@pytest.mark.parametrize("role_ids", [[], [STAFF_ROLE]])
async def test_committee_commands_refuse_others(internal_harness, command, role_ids):
    called = []
    internal_harness.bot.service.reload = lambda: called.append("reload")
    records = await internal_harness.command(command, role_ids=role_ids)
    assert [(r.payload["type"], r.content, r.ephemeral) for r in records] == [(4, COMMITTEE_ONLY, True)]
    assert called == []


def test_commands_are_registered_for_the_server_only(internal_harness):
    tree = internal_harness.bot.tree
    assert tree.get_commands() == []  # nothing global
    commands = tree.get_commands(guild=internal_harness.bot.guild_object)
    assert {c.name for c in commands} >= {"ask", "policy", "rule", "gaps", "reload", "privacy"}
    for command in commands:
        assert command.to_dict(tree)["contexts"] == [0]  # guild only: not in DMs
        assert command.description and command.description != "…"  # the docstring
    assert tree.get_command("gaps", guild=internal_harness.bot.guild_object).default_permissions.manage_guild
    # /induction is shown only to the roles the server's admin gives it to (docs/bot.md), not to every parent.
    assert tree.get_command("induction", guild=internal_harness.bot.guild_object).default_permissions.manage_guild

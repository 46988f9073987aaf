"""The bot's capabilities, one cog each."""
from assistant.bot.cogs.ask import AskCog
from assistant.bot.cogs.browse import BrowseCog
from assistant.bot.cogs.committee import CommitteeCog
from assistant.bot.cogs.help import HelpCog
from assistant.bot.cogs.mentions import MentionsCog
from assistant.bot.cogs.photo_nudge import PhotoNudgeCog
from assistant.bot.cogs.privacy import PrivacyCog

from assistant.bot.cogs.induction import InductionCog  # noqa: E402 - staff induction

ALL_COGS = (AskCog, MentionsCog, BrowseCog, CommitteeCog, PrivacyCog, HelpCog, PhotoNudgeCog, InductionCog)

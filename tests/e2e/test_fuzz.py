"""Fuzzing: every command with a text option, and the @mention, driven through SimCord
with arbitrary Unicode, huge strings, markdown and mentions.

Each example must end with the member answered (a reply or a form), no unhandled error
(an error the user would see as "Something went wrong"), every message inside
Discord's limits and, via the e2e conftest, nothing able to ping. A bounded run is
here; ``bench/fuzz_commands.py`` runs 10,000 examples per command on the same core
(``Fuzzer``, ``user_text``).
"""

from __future__ import annotations

import contextlib
import os
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import discord
import pytest
import simcord
from discord import app_commands
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.trivia.session import GAP_SECONDS
from cogs._base import describe_error

pytestmark = pytest.mark.simcord(strict_sync=False, settle_timeout=2)

#: Discord's longest string option value.
OPTION_MAX = 6000
#: Examples per command here; ``bench/fuzz_commands.py`` sets FUZZ_EXAMPLES=10000.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
#: The bounded run is repeatable; a long run explores new inputs each time.
LONG_RUN = "FUZZ_EXAMPLES" in os.environ
#: Autocomplete is fuzzed on every n-th example (SimCord adds ~50 ms to each one).
AUTOCOMPLETE_EVERY = 25 if LONG_RUN else 4
#: Markup and mention pieces users paste; combined with free text below.
PIECES = (
    "@everyone",
    "@here",
    "<@1>",
    "<@!123456789012345678>",
    "<@&123456789012345678>",
    "<#123456789012345678>",
    "</film:1>",
    "<:emoji:123>",
    "**",
    "__",
    "~~",
    "||",
    "`",
    "```",
    "> ",
    "# ",
    "-# ",
    "[link](https://example.com)",
    "https://discord.gg/x",
    "\\",
    "\n",
    "\u200b",
    "\u202e",
    "\ufeff",
    "\x00",
    "🎬",
    "👩🏽‍🚀",
    "Anora",
    "Tangerine",
    "Sean Baker",
    "who directed",
    "ﷺ",
    "Z̷̢̛a̴l̸g̷o̵",
)


def user_text(max_size: int = OPTION_MAX) -> st.SearchStrategy[str]:
    """What a member can type into a text option: anything, big, marked up, mentioning."""
    pieces = st.lists(
        st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), min_size=1, max_size=12
    ).map("".join)
    huge = st.builds(
        lambda unit, times: (unit * times)[:max_size],
        st.one_of(st.sampled_from(PIECES), st.text(min_size=1, max_size=8)),
        st.integers(min_value=max(1, max_size // 20), max_value=max_size),
    )
    plain = st.text(alphabet=string.printable, max_size=60)
    return st.one_of(st.text(max_size=300), pieces, huge, plain).filter(lambda s: s.strip())


@dataclass(frozen=True)
class Target:
    """A command (or the @mention) and its free-text options."""

    name: str
    options: tuple[str, ...]
    required: frozenset[str]
    limits: dict[str, tuple[int, int]] = field(default_factory=dict, hash=False)
    autocomplete: tuple[str, ...] = ()


#: A member's message is at most 2000 characters (4000 with Nitro), the mention included.
MENTION = Target("@mention", ("question",), frozenset({"question"}), {"question": (1, 1970)})


def targets(tree: app_commands.CommandTree) -> list[Target]:
    """Every command with at least one free-text option (choices excluded)."""
    found = []
    for command in tree.walk_commands():
        if isinstance(command, app_commands.Group):
            continue
        texts = [
            p
            for p in command.parameters
            if p.type is discord.AppCommandOptionType.string and not p.choices
        ]
        if not texts:
            continue
        limits = {
            p.name: (int(p.min_value or 1), int(p.max_value or OPTION_MAX))
            for p in texts
            if p.min_value is not None or p.max_value is not None
        }
        found.append(
            Target(
                command.qualified_name,
                tuple(p.name for p in texts),
                frozenset(p.name for p in texts if p.required),
                limits,
                tuple(p.name for p in texts if p.autocomplete),
            )
        )
    return [*found, MENTION]


def fit(value: str, limits: tuple[int, int] | None) -> str:
    low, high = limits or (1, OPTION_MAX)
    return value[:high].ljust(low, "x")


def embed_problems(embeds: Iterable[discord.Embed]) -> list[str]:
    problems = []
    for embed in embeds:
        if len(embed) > 6000:
            problems.append(f"embed total {len(embed)} > 6000")
        if len(embed.title or "") > 256 or len(embed.description or "") > 4096:
            problems.append("embed title or description too long")
        if len(embed.fields) > 25 or any(
            len(f.name) > 256 or len(f.value) > 1024 for f in embed.fields
        ):
            problems.append("embed fields beyond Discord's limits")
    return problems


class Fuzzer:
    """Runs examples against one live SimCord world and collects what went wrong."""

    def __init__(self, env: Any, guild: Any, member: Any) -> None:
        self.env = env
        self.guild = guild
        self.member = member
        self.channels: dict[str, Any] = {}
        self.examples = 0
        self.players = 0
        ask = env.bot.get_cog("Ask")
        if ask is not None and hasattr(ask, "limits"):
            from bot.ask.limits import RateLimit

            ask.limits = RateLimit(rate=10**9, per=1)  # fuzz the answerer, not the cooldown

    def channel(self, target: Target) -> Any:
        if target.name not in self.channels:
            name = target.name.replace(" ", "-").strip("@")
            self.channels[target.name] = self.guild.create_text_channel(f"fuzz-{name}")
        return self.channels[target.name]

    async def run(self, target: Target, values: dict[str, str]) -> list[str]:
        """One example; returns its problems (empty when all is well)."""
        self.examples += 1
        channel = self.channel(target)
        problems: list[str] = []
        with contextlib.suppress(simcord.OptionError):  # refused before the bot, as Discord
            problems += await self._call(target, channel, values)
        problems += self.unhandled()
        if self.examples % 25 == 0:
            await self.env.advance_time(301)  # let views expire: SimCord slows with many
        return problems

    async def _call(self, target: Target, channel: Any, values: dict[str, str]) -> list[str]:
        if target is MENTION:
            me = self.env.bot.user
            question = fit(values["question"], target.limits["question"])
            await self.member.send(channel, f"<@{me.id}> {question}")
            return embed_problems(channel.last_message.embeds) if channel.last_message else []
        member = await self._player(target, channel)
        options = {k: fit(v, target.limits.get(k)) for k, v in values.items()}
        result = await member.slash(channel, target.name, **options)
        problems = []
        if result.response is None and result.modal is None:
            problems.append("no reply and no form")
        for message in [result.response, *result.followups]:
            if message is not None:
                if len(message.content or "") > 2000:
                    problems.append("content over 2000 characters")
                problems += embed_problems(message.embeds)
        for option in target.autocomplete:
            if option in options and self.examples % AUTOCOMPLETE_EVERY == 0:
                problems += await self._autocomplete(target, channel, option, options[option])
        await self._after(target, channel)
        return problems

    async def _autocomplete(
        self, target: Target, channel: Any, option: str, text: str
    ) -> list[str]:
        choices = await self.member.autocomplete(channel, target.name, option, text)
        if len(choices) > 25 or any(
            not 1 <= len(c["name"]) <= 100 or len(str(c["value"])) > 100 for c in choices
        ):
            return [f"autocomplete {option}: choices beyond Discord's limits"]
        return []

    async def _player(self, target: Target, channel: Any) -> Any:
        """/answer needs a running game and a member with guesses left."""
        if target.name != "answer":
            return self.member
        trivia = self.env.bot.get_cog("Trivia")
        session = trivia.sessions.get(channel.id) if trivia else None
        if session is None:
            await self.member.slash(channel, "trivia start", rounds=50, seconds=120)
        elif session.game.open_round is None:
            await self.env.advance_time(GAP_SECONDS)
        self.players += 1
        return self.guild.add_member(self.env.create_user(f"player{self.players}"))

    async def _after(self, target: Target, channel: Any) -> None:
        if target.name == "trivia start":
            trivia = self.env.bot.get_cog("Trivia")
            if trivia and channel.id in trivia.sessions:
                await self.member.slash(channel, "trivia stop")

    def unhandled(self) -> list[str]:
        """Errors a user would have seen as "Something went wrong" (reading acknowledges)."""
        return [
            f"unhandled {type(e).__name__}: {e}"[:300]
            for e in self.env.errors
            if describe_error(e) is None
        ]


def examples(target: Target) -> st.SearchStrategy[dict[str, str]]:
    """A value for every required text option, and for some optional ones."""
    required = st.fixed_dictionaries({name: user_text() for name in target.required})
    optional = st.fixed_dictionaries(
        {},
        optional={n: user_text() for n in target.options if n not in target.required},
    )
    return st.builds(lambda a, b: {**b, **a}, required, optional).filter(bool)


# -- the bounded run -----------------------------------------------------------------------


COMMANDS = [
    "film",
    "person",
    "filmography",
    "quote",
    "ask",
    "answer",
    "trivia start",
    "trivia leaderboard",
    "trivia question add",
    "trivia question remove",
    "fact add",
    "fact edit",
    "fact remove",
    "fact restore",
    "fact history",
    "fact list",
    "fact hide",
    "fact unhide",
    "quotes add",
    "quotes remove",
    "suggest fact",
    "suggest quote",
    "suggest question",
    "review",
    "@mention",
]


def test_every_text_command_is_fuzzed(simcord_bot):
    """The list above covers every command with a text option (new ones must be added)."""
    assert {t.name for t in targets(simcord_bot.tree)} <= set(COMMANDS)


_fuzzers: dict[int, Fuzzer] = {}


def fuzzer_for(world: Any) -> Fuzzer:
    """One fuzzer per test's world, kept across its examples."""
    key = id(world.env)
    if key not in _fuzzers:
        _fuzzers.clear()
        _fuzzers[key] = Fuzzer(world.env, world.guild, world.mod)
    return _fuzzers[key]


@pytest.mark.parametrize("name", COMMANDS)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not LONG_RUN,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_fuzz_command(world, simcord_bot, name, data):
    """Arbitrary input: answered, no unhandled error, within Discord's limits."""
    target = {t.name: t for t in targets(simcord_bot.tree)}.get(name)
    if target is None:
        pytest.skip(f"/{name} is not loaded")
    values = data.draw(examples(target), label="options")
    problems = await fuzzer_for(world).run(target, values)
    assert not problems, problems


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("quote", {"search": "rent\x00"}),
        ("quote", {"search": "\x00"}),
        ("ask", {"question": "who directed\x00 anora"}),
        ("film", {"title": "ano\x00ra"}),
    ],
)
async def test_found_by_the_long_run(world, command, options):
    """Inputs the 10,000-example run found: a NUL ended the full-text query early."""
    result = await world.alice.slash(world.channel, command, **options)
    assert result.response is not None
    assert not [e for e in world.env.errors if describe_error(e) is None]

"""Pieces the moderation cogs share: who counts as a moderator, the change log, forms
and paged lists."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot import render
from bot.moderation.records import AuditEntry
from bot.moderation.service import Moderation, get_moderation
from bot.services import Services, get_services
from cogs._base import handle_app_command_error, reply

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Discord hides moderator commands from members without this (servers can re-assign).
MOD_PERMISSIONS = discord.Permissions(manage_guild=True)
NOT_MODERATOR = (
    "Only moderators can do this: it needs the Manage Server permission, or the "
    "moderator role set with `/config modrole`."
)
FORM_TIMEOUT = 900.0
VIEW_TIMEOUT = 600.0


def moderation_of(services: Services) -> Moderation:
    return get_moderation(services, clock=discord.utils.utcnow)


async def is_moderator(interaction: discord.Interaction) -> bool:
    """Manage Server in this server, or the moderator role from ``/config modrole``."""
    if interaction.guild_id is None:
        return False
    if interaction.permissions.manage_guild:
        return True
    user = interaction.user
    if not isinstance(user, discord.Member):
        return False
    config = await get_services(interaction.client).store.guild_config(interaction.guild_id)
    return config.mod_role_id is not None and user.get_role(config.mod_role_id) is not None


async def _moderator_predicate(interaction: discord.Interaction) -> bool:
    if await is_moderator(interaction):
        return True
    raise app_commands.CheckFailure(NOT_MODERATOR)


def moderator_only() -> Callable[[T], T]:
    """Hidden from members by default (Manage Server), and checked again at call time.

    ``default_permissions`` only reaches Discord on top-level commands and groups (give
    groups ``default_permissions=MOD_PERMISSIONS``); the runtime check works everywhere,
    and also admits the configured moderator role.
    """

    def decorator(func: T) -> T:
        func = app_commands.check(_moderator_predicate)(func)  # type: ignore[arg-type]
        func = app_commands.default_permissions(manage_guild=True)(func)
        return app_commands.guild_only()(func)  # type: ignore[return-value]

    return decorator


async def post_log(client: discord.Client, services: Services, entry: AuditEntry) -> None:
    """Post a change to the server's log channel, if one is set; never fails the command."""
    config = await services.store.guild_config(entry.guild_id)
    if config.log_channel_id is None:
        return
    channel = client.get_channel(config.log_channel_id)
    if not isinstance(channel, discord.abc.Messageable):
        log.info("log channel %s of guild %s is gone", config.log_channel_id, entry.guild_id)
        return
    try:
        await channel.send(embed=render.audit_embed(entry), allowed_mentions=render.NO_MENTIONS)
    except discord.HTTPException:
        log.warning("could not post to the log channel of guild %s", entry.guild_id, exc_info=True)


@dataclass(frozen=True)
class FormField:
    """One text box of a modal; ``custom_id`` is the key of the submitted value."""

    custom_id: str
    label: str
    default: str | None = None
    required: bool = False
    max_length: int = 100
    long: bool = False
    description: str | None = None


Submit = Callable[[discord.Interaction, dict[str, str]], Awaitable[None]]


class Form(discord.ui.Modal):
    """A modal whose values go to ``on_values``; its errors are answered like commands'."""

    def __init__(self, title: str, fields: Sequence[FormField], on_values: Submit) -> None:
        super().__init__(title=render.truncate(title, 45), timeout=FORM_TIMEOUT)
        self._on_values = on_values
        for spec in fields:
            box: discord.ui.TextInput[Form] = discord.ui.TextInput(
                custom_id=spec.custom_id,
                style=discord.TextStyle.paragraph if spec.long else discord.TextStyle.short,
                default=render.truncate(spec.default, spec.max_length) if spec.default else None,
                required=spec.required,
                max_length=spec.max_length,
            )
            self.add_item(
                discord.ui.Label(
                    text=render.truncate(spec.label, 45),
                    description=spec.description,
                    component=box,
                )
            )

    def values(self) -> dict[str, str]:
        return {
            item.custom_id: item.value
            for item in self.walk_children()
            if isinstance(item, discord.ui.TextInput)
        }

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self._on_values(interaction, self.values())

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await handle_app_command_error(interaction, error)  # type: ignore[arg-type]


class OwnedView(discord.ui.View):
    """Buttons only the person who ran the command may press; errors answered politely."""

    def __init__(self, owner_id: int, timeout: float = VIEW_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.message: discord.Message | discord.InteractionMessage | None = None

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "These buttons belong to whoever ran the command; run it yourself.", ephemeral=True
        )
        return False

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await handle_app_command_error(interaction, error)  # type: ignore[arg-type]

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException:
                log.debug("could not disable buttons after timeout", exc_info=True)


class Pager(OwnedView):
    """Previous / Next through a list of embeds."""

    def __init__(self, owner_id: int, embeds: Sequence[discord.Embed]) -> None:
        super().__init__(owner_id)
        self.embeds = list(embeds)
        self.page = 0
        self._sync()

    def _sync(self) -> None:
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= len(self.embeds) - 1

    async def _show(self, interaction: discord.Interaction, page: int) -> None:
        self.page = max(0, min(page, len(self.embeds) - 1))
        self._sync()
        await interaction.response.edit_message(
            embed=self.embeds[self.page], view=self, allowed_mentions=render.NO_MENTIONS
        )

    @discord.ui.button(
        label="◀ Previous", style=discord.ButtonStyle.secondary, custom_id="page:prev"
    )
    async def previous(self, interaction: discord.Interaction, _: discord.ui.Button[Pager]) -> None:
        await self._show(interaction, self.page - 1)

    @discord.ui.button(label="Next ▶", style=discord.ButtonStyle.secondary, custom_id="page:next")
    async def next(self, interaction: discord.Interaction, _: discord.ui.Button[Pager]) -> None:
        await self._show(interaction, self.page + 1)


async def send_pages(
    interaction: discord.Interaction, embeds: Sequence[discord.Embed], *, ephemeral: bool = True
) -> None:
    """One embed, or the first page with Previous / Next buttons."""
    if len(embeds) <= 1:
        await reply(interaction, embeds=embeds, ephemeral=ephemeral)
        return
    view = Pager(interaction.user.id, embeds)
    await reply(interaction, embed=embeds[0], view=view, ephemeral=ephemeral)
    view.message = await interaction.original_response()


def id_choices(current: str, items: Sequence[tuple[str, str]]) -> list[app_commands.Choice[str]]:
    """Autocomplete for record ids: ``(id, text)`` pairs matching what was typed."""
    needle = current.strip().strip("`").lower()
    found = [
        (ident, text)
        for ident, text in items
        if not needle or ident.lower().startswith(needle) or needle in text.lower()
    ]
    return [
        app_commands.Choice(name=render.choice_name(f"{ident} · {text}"), value=ident[:100])
        for ident, text in found[:25]
    ]


def guild_id_of(interaction: discord.Interaction) -> int:
    """The server of a guild-only command."""
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage("This only works in a server.")
    return interaction.guild_id


async def source_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Source ids with their titles; a typed web address is offered back as it is."""
    library = get_services(interaction.client).library
    choices = id_choices(current, [(s.id, s.title) for s in library.sources.values()])
    typed = current.strip()
    if typed.startswith(("http://", "https://")) and len(typed) <= 100:
        choices.insert(0, app_commands.Choice(name=typed, value=typed))
    return choices[:25]

"""/fact: moderators add, edit, remove, restore, hide and trace this server's facts."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import render
from bot.models import Fact
from bot.moderation.service import Change
from bot.moderation.validation import FACT_MAX_LENGTH, SOURCE_MAX_LENGTH
from bot.services import Services
from cogs._base import BakerCog, attach, reply
from cogs._moderation import (
    MOD_PERMISSIONS,
    Form,
    FormField,
    Submit,
    guild_id_of,
    id_choices,
    moderation_of,
    moderator_only,
    post_log,
    send_pages,
    source_autocomplete,
)

ID_HELP = "The fact's id, e.g. g12 (suggested as you type)"


class FactModeration(BakerCog):
    """Server facts: every change versioned, audited and posted to the log channel."""

    fact = app_commands.Group(
        name="fact",
        description="Curate this server's facts (moderators)",
        default_permissions=MOD_PERMISSIONS,
        guild_only=True,
    )

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        super().__init__(bot, services)
        self.moderation = moderation_of(services)

    async def cog_load(self) -> None:
        await self.moderation.load_hidden()

    # -- autocomplete --------------------------------------------------------------------

    async def _server_choices(
        self, interaction: discord.Interaction, current: str, deleted: bool | None
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        store = self.services.store
        states = (False, True) if deleted is None else (deleted,)
        facts = [
            f for d in states for f in await store.guild_facts(interaction.guild_id, deleted=d)
        ]
        return id_choices(current, [(f.id, f.text) for f in reversed(facts)])

    async def live_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._server_choices(interaction, current, False)

    async def removed_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._server_choices(interaction, current, True)

    async def any_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._server_choices(interaction, current, None)

    async def curated_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        hidden = self.services.hidden.get(interaction.guild_id or 0, set())
        needle = current.strip().strip("`")
        return id_choices(current, self.services.library.find_facts(needle, 25, hidden))

    async def hidden_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        facts = self.services.library.facts
        hidden = sorted(self.services.hidden.get(interaction.guild_id or 0, set()))
        return id_choices(current, [(i, facts[i].text) for i in hidden if i in facts])

    # -- helpers ---------------------------------------------------------------------------

    def fact_form(
        self,
        title: str,
        text: str | None,
        film: str | None,
        person: str | None,
        source: str | None,
        on_values: Submit,
    ) -> Form:
        """The fact form: text, film, person and source, prefilled where known."""
        fields = [
            FormField(
                "fact-text",
                "Fact",
                text,
                required=True,
                max_length=FACT_MAX_LENGTH,
                long=True,
                description="One sentence that names its subject.",
            ),
            FormField("fact-film", "Film", film, description="Title of the film it is about"),
            FormField("fact-person", "Person", person, description="Or the person it is about"),
            FormField(
                "fact-source",
                "Source",
                source,
                max_length=SOURCE_MAX_LENGTH,
                description="A web address or source id (blank: the moderators)",
            ),
        ]
        return Form(title, fields, on_values)

    def _names(self, fact: Fact) -> tuple[str | None, str | None, str]:
        lib = self.services.library
        film = lib.films[fact.film].title if fact.film in lib.films else fact.film
        person = lib.people[fact.person].name if fact.person in lib.people else fact.person
        return film, person, " ".join(fact.sources)

    async def _done(
        self, interaction: discord.Interaction, change: Change, title: str, note: str = ""
    ) -> None:
        """Confirm a change to the moderator and post it to the log channel."""
        record = change.record
        if isinstance(record, Fact):
            embed = render.server_fact_embed(record, self.services.library, title, note)
            await reply(interaction, embed=embed, ephemeral=True)
        else:
            await reply(interaction, f"{title}. {note}".strip(), ephemeral=True)
        await post_log(self.bot, self.services, change.audit)

    async def _add(
        self,
        interaction: discord.Interaction,
        *,
        text: str | None,
        film: str | None,
        person: str | None,
        source: str | None,
        spoiler: bool,
    ) -> None:
        fact = await self.moderation.check_fact(
            guild_id_of(interaction),
            text=text,
            film=film,
            person=person,
            source=source,
            spoiler=spoiler,
        )
        change = await self.moderation.add(fact, interaction.user.id)
        ident = change.record.id if change.record else "?"
        note = f"Members see it in /ask, /film and /person now; `/fact edit {ident}` changes it."
        await self._done(interaction, change, f"Added fact {ident}", note)

    # -- commands --------------------------------------------------------------------------

    @fact.command(name="add")
    @app_commands.describe(
        text="The fact, one sentence (leave out to write it in a form)",
        film="The film it is about",
        person="The person it is about",
        source="A web address, or a source id (suggested as you type)",
        spoiler="Show it in spoiler tags (anything that gives away an ending)",
    )
    @app_commands.autocomplete(
        film=BakerCog.film_autocomplete,
        person=BakerCog.person_autocomplete,
        source=source_autocomplete,
    )
    @moderator_only()
    async def fact_add(
        self,
        interaction: discord.Interaction,
        text: str | None = None,
        film: str | None = None,
        person: str | None = None,
        source: str | None = None,
        spoiler: bool = False,
    ) -> None:
        """Add a fact about a film or a person to this server."""
        if text is not None:
            await self._add(
                interaction, text=text, film=film, person=person, source=source, spoiler=spoiler
            )
            return

        async def submitted(modal_interaction: discord.Interaction, values: dict[str, str]) -> None:
            await self._add(
                modal_interaction,
                text=values.get("fact-text"),
                film=values.get("fact-film"),
                person=values.get("fact-person"),
                source=values.get("fact-source"),
                spoiler=spoiler,
            )

        form = self.fact_form("New fact", None, film, person, source, submitted)
        await interaction.response.send_modal(form)

    @fact.command(name="edit")
    @app_commands.rename(fact_id="id")
    @app_commands.describe(fact_id=ID_HELP, spoiler="Change whether it is shown as a spoiler")
    @app_commands.autocomplete(fact_id=live_autocomplete)
    @moderator_only()
    async def fact_edit(
        self, interaction: discord.Interaction, fact_id: str, spoiler: bool | None = None
    ) -> None:
        """Edit one of this server's facts in a form; the old version is kept."""
        gid = guild_id_of(interaction)
        stored = await self.moderation.get("fact", gid, fact_id, deleted=False)
        fact = stored.record
        assert isinstance(fact, Fact)

        async def submitted(modal_interaction: discord.Interaction, values: dict[str, str]) -> None:
            change = await self.moderation.edit_fact(
                gid,
                modal_interaction.user.id,
                fact.id,
                text=values.get("fact-text"),
                film=values.get("fact-film", ""),
                person=values.get("fact-person", ""),
                source=values.get("fact-source", ""),
                spoiler=spoiler,
            )
            note = f"The old text is kept: `/fact history {fact.id}`."
            await self._done(modal_interaction, change, f"Edited fact {fact.id}", note)

        film, person, source = self._names(fact)
        form = self.fact_form(f"Edit fact {fact.id}", fact.text, film, person, source, submitted)
        await interaction.response.send_modal(form)

    @fact.command(name="remove")
    @app_commands.rename(fact_id="id")
    @app_commands.describe(fact_id=ID_HELP)
    @app_commands.autocomplete(fact_id=live_autocomplete)
    @moderator_only()
    async def fact_remove(self, interaction: discord.Interaction, fact_id: str) -> None:
        """Remove one of this server's facts (it can be restored)."""
        change = await self.moderation.set_deleted(
            "fact", guild_id_of(interaction), interaction.user.id, fact_id, True
        )
        ident = change.audit.target
        await self._done(
            interaction, change, f"Removed fact {ident}", f"`/fact restore {ident}` undoes it."
        )

    @fact.command(name="restore")
    @app_commands.rename(fact_id="id")
    @app_commands.describe(fact_id=ID_HELP)
    @app_commands.autocomplete(fact_id=removed_autocomplete)
    @moderator_only()
    async def fact_restore(self, interaction: discord.Interaction, fact_id: str) -> None:
        """Bring back a removed fact."""
        change = await self.moderation.set_deleted(
            "fact", guild_id_of(interaction), interaction.user.id, fact_id, False
        )
        await self._done(interaction, change, f"Restored fact {change.audit.target}")

    @fact.command(name="history")
    @app_commands.rename(fact_id="id")
    @app_commands.describe(fact_id=ID_HELP)
    @app_commands.autocomplete(fact_id=any_autocomplete)
    @moderator_only()
    async def fact_history(self, interaction: discord.Interaction, fact_id: str) -> None:
        """Every version of a fact, and who changed what when."""
        history = await self.moderation.history(guild_id_of(interaction), fact_id)
        embed = render.history_embed(
            history.fact, history.deleted, history.versions, history.audit, self.services.library
        )
        await reply(interaction, embed=embed, ephemeral=True)

    @fact.command(name="list")
    @app_commands.describe(
        film="Only facts about this film (also lists the curated ones, with their ids)",
        person="Only facts about this person (also lists the curated ones)",
        mine="Only the facts you added",
        removed="List removed facts instead, to restore them",
    )
    @app_commands.autocomplete(film=BakerCog.film_autocomplete, person=BakerCog.person_autocomplete)
    @moderator_only()
    async def fact_list(
        self,
        interaction: discord.Interaction,
        film: str | None = None,
        person: str | None = None,
        mine: bool = False,
        removed: bool = False,
    ) -> None:
        """This server's facts with their ids, a page at a time."""
        listing = await self.moderation.list_facts(
            guild_id_of(interaction),
            film=film,
            person=person,
            author_id=interaction.user.id if mine else None,
            removed=removed,
        )
        lines = [render.mod_fact_line(f) for f in listing.server]
        if listing.curated:
            lines.append("**Curated facts** (`/fact hide` hides one in this server)")
            lines += [
                render.mod_fact_line(f, hidden=f.id in listing.hidden) for f in listing.curated
            ]
        title = "Removed facts" if removed else "This server's facts"
        embeds = render.pages(
            title,
            lines,
            empty="No facts match. `/fact add` adds one.",
            footer=f"{len(listing.server)} server facts",
        )
        await send_pages(interaction, embeds)

    @fact.command(name="hide")
    @app_commands.rename(fact_id="id")
    @app_commands.describe(fact_id="The curated fact's id (suggested as you type)")
    @app_commands.autocomplete(fact_id=curated_autocomplete)
    @moderator_only()
    async def fact_hide(self, interaction: discord.Interaction, fact_id: str) -> None:
        """Hide a curated fact in this server only."""
        change = await self.moderation.set_hidden(
            guild_id_of(interaction), interaction.user.id, fact_id, True
        )
        ident = change.audit.target
        await self._done(
            interaction,
            change,
            f"Hid fact {ident} in this server",
            f"`/fact unhide {ident}` shows it again.",
        )

    @fact.command(name="unhide")
    @app_commands.rename(fact_id="id")
    @app_commands.describe(fact_id="The hidden curated fact's id")
    @app_commands.autocomplete(fact_id=hidden_autocomplete)
    @moderator_only()
    async def fact_unhide(self, interaction: discord.Interaction, fact_id: str) -> None:
        """Show a hidden curated fact in this server again."""
        change = await self.moderation.set_hidden(
            guild_id_of(interaction), interaction.user.id, fact_id, False
        )
        await self._done(interaction, change, f"Fact {change.audit.target} is shown again")


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(FactModeration(bot, await attach(bot)))

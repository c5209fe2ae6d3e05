"""Every embed the bot sends, in one place, inside Discord's limits.

Layout choices (colour, footers, spoiler tags, truncation) live here so every command
looks the same and nothing can exceed a limit and be rejected by Discord.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import discord

from bot.library import DIRECTOR_ID, Library
from bot.models import Credit, Fact, Film, Person, Quote

COLOUR = discord.Colour(0xF28C28)  # tangerine
ERROR_COLOUR = discord.Colour(0xC0392B)
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
FIELDS_LIMIT = 25
TOTAL_LIMIT = 6000
CONTENT_LIMIT = 2000
CHOICE_LIMIT = 100
MARKER = "…"

#: Nobody is ever pinged by anything the bot sends.
NO_MENTIONS = discord.AllowedMentions.none()

ROLE_LABELS = {
    "director": "Director",
    "co-director": "Co-director",
    "writer": "Writer",
    "producer": "Producer",
    "editor": "Editor",
    "cinematographer": "Cinematographer",
    "production-designer": "Production designer",
    "casting": "Casting",
    "composer": "Music",
    "actor": "Actor",
    "creator": "Creator",
}


def truncate(text: str, limit: int) -> str:
    """Cut to ``limit`` characters with a visible marker; never split a spoiler tag open."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(MARKER)].rstrip()
    if cut.count("||") % 2:
        cut = cut[: limit - len(MARKER) - 2].rstrip() + "||"
    return cut + MARKER


def spoiler(text: str, is_spoiler: bool = True) -> str:
    return f"||{text}||" if is_spoiler else text


def quoted(text: str) -> str:
    """User text shown back: no markdown tricks, no mention syntax."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def base_embed(title: str, description: str = "") -> discord.Embed:
    return discord.Embed(
        title=truncate(title, TITLE_LIMIT),
        description=truncate(description, DESCRIPTION_LIMIT) if description else None,
        colour=COLOUR,
    )


def add_field(embed: discord.Embed, name: str, value: str, *, inline: bool = False) -> None:
    if len(embed.fields) >= FIELDS_LIMIT or not value:
        return
    embed.add_field(
        name=truncate(name, FIELD_NAME_LIMIT),
        value=truncate(value, FIELD_VALUE_LIMIT),
        inline=inline,
    )


def set_sources(embed: discord.Embed, names: Iterable[str]) -> discord.Embed:
    names = list(names)
    if names:
        label = "Source" if len(names) == 1 else "Sources"
        embed.set_footer(text=truncate(f"{label}: " + " · ".join(names), FOOTER_LIMIT))
    return fit(embed)


def fit(embed: discord.Embed) -> discord.Embed:
    """Drop trailing fields, then shorten the description, until under 6000 characters."""
    while len(embed) > TOTAL_LIMIT and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    if len(embed) > TOTAL_LIMIT and embed.description:
        excess = len(embed) - TOTAL_LIMIT
        embed.description = truncate(embed.description, len(embed.description) - excess)
    return embed


def fact_line(fact: Fact, *, show_id: bool = False) -> str:
    text = spoiler(fact.text, fact.spoiler)
    return f"`{fact.id}` {text}" if show_id else f"• {text}"


def _credit_lines(credits: Sequence[Credit], library: Library) -> tuple[list[str], list[str]]:
    """Split credits into crew lines ("Director: Sean Baker") and cast lines."""
    crew: dict[str, list[str]] = {}
    cast: list[str] = []
    for credit in credits:
        person = library.people.get(credit.person)
        name = person.name if person else credit.person
        if credit.role == "actor":
            cast.append(f"{name} as {credit.character}" if credit.character else name)
        else:
            crew.setdefault(ROLE_LABELS.get(credit.role, credit.role), []).append(name)
    lines = [f"**{role}:** {', '.join(dict.fromkeys(names))}" for role, names in crew.items()]
    return lines, cast


def film_embed(film: Film, library: Library, facts: Sequence[Fact] = ()) -> discord.Embed:
    embed = base_embed(f"{film.title} ({film.year})", film.synopsis)
    crew, cast = _credit_lines(library.credits_by_film.get(film.id, []), library)
    add_field(embed, "Credits", "\n".join(crew))
    add_field(embed, "Cast", "\n".join(cast))
    details = [
        f"**Runtime:** {film.runtime_minutes} min" if film.runtime_minutes else "",
        f"**Budget:** {film.budget}" if film.budget else "",
        f"**Shoot:** {film.shoot}" if film.shoot else "",
        f"**Type:** {film.kind.upper() if film.kind == 'tv' else film.kind}",
    ]
    add_field(embed, "Details", "\n".join(d for d in details if d))
    awards = [
        f"{'🏆' if a.result == 'won' else '🎗️'} {a.festival}"
        f"{f' ({a.edition})' if a.edition else ''}: {a.category}"
        f"{f' — {a.nominee}' if a.nominee else ''} ({a.result})"
        for a in film.awards
    ]
    add_field(embed, "Awards", "\n".join(awards))
    add_field(embed, "Did you know?", "\n".join(fact_line(f) for f in facts[:4]))
    source_ids = library.film_sources(film) + [s for a in film.awards for s in a.sources]
    source_ids += [s for f in facts[:4] for s in f.sources]
    return set_sources(embed, library.source_names(list(dict.fromkeys(source_ids))))


def person_embed(person: Person, library: Library, facts: Sequence[Fact] = ()) -> discord.Embed:
    embed = base_embed(person.name, person.bio or "")
    if person.aliases:
        add_field(embed, "Also written", ", ".join(person.aliases), inline=True)
    if person.born:
        add_field(embed, "Born", person.born, inline=True)
    lines = filmography_lines(person.id, library)
    add_field(embed, "Films", "\n".join(lines) or "No credits in the catalog yet.")
    add_field(embed, "Did you know?", "\n".join(fact_line(f) for f in facts[:4]))
    source_ids = list(person.sources) + [s for f in facts[:4] for s in f.sources]
    return set_sources(embed, library.source_names(list(dict.fromkeys(source_ids))))


def filmography_lines(person_id: str, library: Library) -> list[str]:
    lines = []
    for film, credits in library.filmography(person_id):
        roles = []
        for credit in credits:
            label = ROLE_LABELS.get(credit.role, credit.role).lower()
            roles.append(f"{label} ({credit.character})" if credit.character else label)
        kind = " · TV" if film.kind == "tv" else ""
        lines.append(f"**{film.year}** — *{film.title}*{kind}: {', '.join(roles)}")
    return lines


def filmography_embed(person: Person, library: Library) -> discord.Embed:
    lines = filmography_lines(person.id, library)
    title = "Sean Baker's films" if person.id == DIRECTOR_ID else f"{person.name}: filmography"
    embed = base_embed(title, "\n".join(lines) or "No credits in the catalog yet.")
    sources = [
        s for _, credits in library.filmography(person.id) for c in credits for s in c.sources
    ]
    return set_sources(embed, library.source_names(list(dict.fromkeys(sources))))


def quote_embed(quote: Quote, library: Library) -> discord.Embed:
    speaker = library.people.get(quote.speaker)
    film = library.films.get(quote.film) if quote.film else None
    text = spoiler(f"“{quote.text}”", quote.spoiler)
    embed = base_embed("Quote", text)
    attribution = f"— {speaker.name if speaker else quote.speaker}"
    if film:
        attribution += f", on *{film.title}* ({film.year})"
    if quote.context:
        attribution += f" ({quote.context})"
    embed.title = None
    embed.description = truncate(f"{text}\n\n{attribution}", DESCRIPTION_LIMIT)
    return set_sources(embed, library.source_names([quote.source]))


def did_you_mean_text(query: str, labels: Sequence[str], what: str) -> str:
    shown = truncate(quoted(query), 100)
    if not labels:
        return f"I couldn't find a {what} matching “{shown}”. Try `/help` for what I know."
    options = ", ".join(f"**{label}**" for label in labels)
    return truncate(f"No {what} exactly matches “{shown}”. Did you mean {options}?", CONTENT_LIMIT)


def error_embed(message: str) -> discord.Embed:
    return discord.Embed(description=truncate(message, DESCRIPTION_LIMIT), colour=ERROR_COLOUR)


def list_embed(title: str, lines: Sequence[str], footer: str | None = None) -> discord.Embed:
    embed = base_embed(title, "\n".join(lines))
    if footer:
        embed.set_footer(text=truncate(footer, FOOTER_LIMIT))
    return fit(embed)


def choice_name(text: str) -> str:
    """Autocomplete choice names are limited to 100 characters."""
    return truncate(text, CHOICE_LIMIT)

"""Every embed the bot sends, in one place, inside Discord's limits.

Layout choices (colour, footers, spoiler tags, truncation) live here so every command
looks the same and nothing can exceed a limit and be rejected by Discord.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import discord

from bot.library import DIRECTOR_ID, Library
from bot.models import Credit, Fact, Film, Person, Question, Quote
from bot.moderation.records import WHAT, AuditEntry, FactVersion, Suggestion

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


# -- moderation ------------------------------------------------------------------------

#: Records per page in moderator lists.
PAGE_SIZE = 10
#: Audit rows shown in a fact's history (the newest).
HISTORY_AUDIT_ROWS = 15
CLI_ACTOR_LABEL = "the command line"


def when(moment: datetime) -> str:
    """A timestamp every viewer sees in their own time zone."""
    return discord.utils.format_dt(moment, "R")


def actor(user_id: int) -> str:
    """A user named in an embed (embeds never ping), or the CLI for imports."""
    return f"<@{user_id}>" if user_id else CLI_ACTOR_LABEL


def subject_line(film_id: str | None, person_id: str | None, library: Library) -> str:
    parts: list[str] = []
    if film_id:
        film = library.films.get(film_id)
        parts.append(f"*{film.title}* ({film.year})" if film else film_id)
    if person_id:
        person = library.people.get(person_id)
        parts.append(person.name if person else person_id)
    return " · ".join(parts)


def mod_fact_line(fact: Fact, *, hidden: bool = False) -> str:
    """A fact with its id, for moderators; ``hidden`` marks a curated fact hidden here."""
    line = truncate(fact_line(fact, show_id=True), 300)
    return f"~~{line}~~ (hidden here)" if hidden else line


def server_fact_embed(fact: Fact, library: Library, title: str, note: str = "") -> discord.Embed:
    embed = base_embed(title, spoiler(fact.text, fact.spoiler))
    add_field(embed, "Id", f"`{fact.id}`", inline=True)
    add_field(embed, "About", subject_line(fact.film, fact.person, library), inline=True)
    if fact.spoiler:
        add_field(embed, "Spoiler", "Shown in spoiler tags", inline=True)
    add_field(embed, "Note", note)
    return set_sources(embed, library.source_names(list(fact.sources)))


def pages(title: str, lines: Sequence[str], *, empty: str, footer: str = "") -> list[discord.Embed]:
    """Lines split into embeds of ``PAGE_SIZE``, each footed with its page number."""
    if not lines:
        return [list_embed(title, [empty], footer or None)]
    chunks = [lines[i : i + PAGE_SIZE] for i in range(0, len(lines), PAGE_SIZE)]
    suffix = f" · {footer}" if footer else ""
    return [
        list_embed(title, chunk, f"Page {n}/{len(chunks)}{suffix}")
        for n, chunk in enumerate(chunks, start=1)
    ]


def quote_line(quote: Quote, library: Library) -> str:
    speaker = library.people.get(quote.speaker)
    text = spoiler(f"“{truncate(quote.text, 200)}”", quote.spoiler)
    return f"`{quote.id}` {text} — {speaker.name if speaker else quote.speaker}"


def question_line(question: Question) -> str:
    answer = spoiler(truncate(question.answer, 80), question.spoiler)
    return f"`{question.id}` {truncate(question.question, 200)} → {answer}"


def history_embed(
    fact: Fact,
    deleted: bool,
    versions: Sequence[FactVersion],
    audit: Sequence[AuditEntry],
    library: Library,
) -> discord.Embed:
    """Every version of a server fact (newest last) and its audit trail."""
    status = "Removed" if deleted else "Live"
    about = subject_line(fact.film, fact.person, library)
    embed = base_embed(f"History of {fact.id}", f"**{status}** · {about}")
    for version in versions[-(FIELDS_LIMIT - 2) :]:
        stamp = version.created_at.strftime("%Y-%m-%d %H:%M UTC")
        add_field(
            embed,
            f"Version {version.version} · {stamp}",
            f"{spoiler(version.fact.text, version.fact.spoiler)}\n— {actor(version.author_id)}",
        )
    lines = [
        f"{when(entry.created_at)} **{entry.action}** by {actor(entry.actor_id)}"
        for entry in audit[-HISTORY_AUDIT_ROWS:]
    ]
    add_field(embed, "Audit trail", "\n".join(lines))
    return fit(embed)


def describe_change(data: dict[str, object] | None) -> str:
    """The readable part of an audit row's before/after."""
    if not data:
        return ""
    for key in ("text", "question"):
        if isinstance(data.get(key), str):
            text = str(data[key])
            return spoiler(text, bool(data.get("spoiler")))
    return ", ".join(f"{key}: {value}" for key, value in data.items() if key != "guild_id")


def audit_embed(entry: AuditEntry) -> discord.Embed:
    """One change, for the server's log channel."""
    embed = base_embed(
        f"{entry.kind.capitalize()} {entry.target}: {entry.action}",
        f"by {actor(entry.actor_id)} · {when(entry.created_at)}",
    )
    if entry.before is not None:
        add_field(embed, "Before", describe_change(entry.before))
    if entry.after is not None:
        add_field(embed, "After", describe_change(entry.after))
    embed.timestamp = entry.created_at
    return fit(embed)


def suggestion_embed(suggestion: Suggestion, library: Library, *, waiting: int) -> discord.Embed:
    """A suggestion as moderators review it."""
    data = suggestion.payload
    hide = bool(data.get("spoiler"))
    kind = WHAT[suggestion.kind]
    main = str(data.get("question") or data.get("text") or "")
    embed = base_embed(f"Suggested {kind} {suggestion.label}", spoiler(main, hide))
    if suggestion.kind == "question":
        answers = " · ".join(str(a) for a in data.get("answers", []))
        add_field(embed, "Answers", spoiler(answers, hide))
    speaker = library.people.get(str(data.get("speaker")))
    if speaker:
        add_field(embed, "Said by", speaker.name, inline=True)
    about = subject_line(_optional(data.get("film")), _optional(data.get("person")), library)
    add_field(embed, "About", about, inline=True)
    add_field(embed, "Suggested by", f"{actor(suggestion.author_id)} {when(suggestion.created_at)}")
    sources = data.get("sources") or [data.get("source")]
    listed = sources if isinstance(sources, list) else []
    names = library.source_names([str(s) for s in listed if s])
    add_field(embed, "Sources", " · ".join(names))
    embed.set_footer(text=f"{waiting} waiting for review")
    return fit(embed)


def _optional(value: object) -> str | None:
    return str(value) if value else None


# -- trivia ----------------------------------------------------------------------------

from bot.trivia import engine as trivia  # noqa: E402  (kept inside this section)
from bot.trivia.stats import LeaderRow, MemberStats  # noqa: E402

MEDALS = ("🥇", "🥈", "🥉")
STANDINGS_SHOWN = 5
FINAL_STANDINGS_SHOWN = 10
BUTTON_LABEL_LIMIT = 80
MODE_LABELS = {"text": "typed answers", "answer": "/answer", "buttons": "buttons"}
HOW_TO_ANSWER = {
    "text": "Type your answer in this channel (or use `/answer guess:`).",
    "answer": "Answer with `/answer guess:` — only you see if you were right; "
    "everyone sees the winner.",
    "buttons": "Pick one of the four buttons: one pick each; the counts are revealed "
    "when time runs out.",
}
END_REASONS = {
    "complete": "All {total} questions played.",
    "idle": f"Nobody answered {trivia.IDLE_LIMIT} questions in a row, so the game ended.",
    "stopped": "Stopped by {by}.",
    "restart": "This game was interrupted by a restart and has been closed; scores are kept.",
    "error": "Something went wrong on my side, so the game was closed; scores are kept.",
}


def member(user_id: int) -> str:
    """A member named in an embed; embeds never ping."""
    return f"<@{user_id}>"


def _rank_label(rank: int) -> str:
    return MEDALS[rank - 1] if rank <= len(MEDALS) else f"{rank}."


def _points(points: int) -> str:
    return f"{points} point{'s' if points != 1 else ''}"


def standings_lines(standings: Sequence[tuple[int, int]], limit: int) -> list[str]:
    """Game standings, equal scores sharing a rank."""
    lines: list[str] = []
    rank, previous = 0, None
    for position, (user_id, points) in enumerate(standings, start=1):
        if points != previous:
            rank, previous = position, points
        if position > limit:
            lines.append(f"…and {len(standings) - limit} more")
            break
        lines.append(f"{_rank_label(rank)} {member(user_id)} — {_points(points)}")
    return lines


def trivia_film_label(question: Question, library: Library) -> str:
    film = library.films.get(question.film) if question.film else None
    return f"{film.title} ({film.year})" if film else "Sean Baker's work"


def trivia_start_embed(
    game: trivia.Game, library: Library, *, asked_for: int, spoilers: bool
) -> discord.Embed:
    options = game.options
    lines = [
        f"**{game.total}** question{'s' if game.total != 1 else ''} · "
        f"{MODE_LABELS[options.mode]} · {options.seconds} s each · "
        f"started by {member(game.starter_id)}",
        HOW_TO_ANSWER[options.mode],
    ]
    if game.total < asked_for:
        lines.append(f"Only {game.total} questions match, so that is how many we play.")
    embed = base_embed("🎬 Trivia time!", "\n".join(lines))
    film = library.films.get(options.film) if options.film else None
    if film:
        add_field(embed, "Film", f"{film.title} ({film.year})", inline=True)
    if options.category:
        add_field(embed, "Category", options.category, inline=True)
    if spoilers:
        add_field(embed, "Spoilers", "On: questions may reveal endings", inline=True)
    embed.set_footer(text="/trivia hint · /trivia skip · /trivia stop")
    return fit(embed)


def trivia_question_embed(
    game: trivia.Game,
    round_: trivia.Round,
    library: Library,
    *,
    ends_at: datetime,
    remaining: float,
    resumed: bool = False,
) -> discord.Embed:
    """One question: its number, the film it is about and the time left."""
    question = round_.question
    text = spoiler(question.question, question.spoiler)
    if question.spoiler:
        text = f"⚠️ Spoiler question\n{text}"
    embed = base_embed(f"Question {round_.number} of {game.total}", text)
    if resumed:
        embed.set_author(name="Resumed after a restart")
    add_field(embed, "Film", trivia_film_label(question, library), inline=True)
    add_field(embed, "Points", str(round_.points), inline=True)
    add_field(
        embed,
        "Time left",
        f"{round(remaining)} s · ends {discord.utils.format_dt(ends_at, 'R')}",
        inline=True,
    )
    embed.set_footer(
        text=f"{question.category} · {question.difficulty} · {HOW_TO_ANSWER[game.mode]}"
    )
    return fit(embed)


def trivia_choice_label(text: str, count: int | None = None, *, correct: bool = False) -> str:
    """A button label, with the pick count once the question is over."""
    label = f"{'✅ ' if correct else ''}{text}"
    suffix = f" · {count}" if count is not None else ""
    return truncate(label, BUTTON_LABEL_LIMIT - len(suffix)) + suffix


def trivia_result_embed(
    game: trivia.Game, result: trivia.RoundResult, library: Library
) -> discord.Embed:
    """How a question ended: winner and points, or the answer; source and standings."""
    question = result.question
    answer = spoiler(f"**{question.answer}**", question.spoiler)
    winners = ", ".join(member(m) for m in result.winners)
    if result.outcome == "answered" and game.mode == "buttons":
        title = f"✅ Question {result.number} answered"
        text = f"The answer was {answer}. {winners} picked it: **+{result.points}** each."
    elif result.outcome == "answered":
        title = f"✅ Question {result.number} answered"
        text = f"{winners} got it: {answer} (**+{result.points}**)."
        verdict = result.verdict
        if verdict is not None and not verdict.exact and verdict.answer:
            text += f"\nClose enough: accepted as **{verdict.answer}**."
    elif result.outcome == "skipped":
        title = f"⏭️ Question {result.number} skipped"
        text = f"Skipped by {member(result.by or 0)}. The answer was {answer}."
    else:
        title = f"⌛ Time's up on question {result.number}"
        text = f"Nobody got it. The answer was {answer}."
    embed = base_embed(title, text)
    if result.choices:
        lines = [
            f"{'✅' if i == result.correct_choice else '▫️'} {choice} — {count}"
            for i, (choice, count) in enumerate(zip(result.choices, result.counts, strict=True))
        ]
        add_field(embed, "Picks", "\n".join(lines))
    add_field(embed, "Standings", "\n".join(standings_lines(result.standings, STANDINGS_SHOWN)))
    return set_sources(embed, library.source_names(question.sources))


def trivia_final_embed(game: trivia.Game, final: trivia.FinalResult) -> discord.Embed:
    """The end of a game: why it ended, the winner and the final standings."""
    reason = END_REASONS[final.reason].format(total=final.total, by=member(final.by or 0))
    if final.winners:
        top = final.standings[0][1]
        names = " and ".join(member(m) for m in final.winners)
        verb = "Winner" if len(final.winners) == 1 else "Tie"
        headline = f"🏆 {verb}: {names} with {_points(top)}!"
    else:
        headline = "Nobody scored this time."
    embed = base_embed("🏁 Trivia over", f"{headline}\n{reason}")
    lines = standings_lines(final.standings, FINAL_STANDINGS_SHOWN)
    add_field(embed, "Final standings", "\n".join(lines) or "No one played.")
    embed.set_footer(text="/trivia leaderboard for all-time scores · /trivia start to play again")
    return fit(embed)


def trivia_hint_embed(hint: trivia.Hint) -> discord.Embed:
    text = f"`{hint.text}`\nQuestion {hint.number} is now worth {_points(hint.points)}."
    return base_embed(f"💡 Hint {hint.level} of {trivia.MAX_HINTS}", text)


def trivia_leaderboard_embed(title: str, rows: Sequence[LeaderRow]) -> discord.Embed:
    lines = [
        f"{_rank_label(r.rank)} {member(r.member)} — {_points(r.points)} · {r.correct} correct"
        for r in rows
    ]
    text = "\n".join(lines) or "No scores yet. Start a game with `/trivia start`."
    return base_embed(title, text)


def trivia_stats_embed(stats: MemberStats, name: str) -> discord.Embed:
    embed = base_embed(f"Trivia stats: {name}")
    if not stats.played:
        embed.description = "No trivia played in this server yet."
        return embed
    for label, value in (
        ("Points", stats.points),
        ("Rank", f"#{stats.rank}" if stats.rank else "—"),
        ("Games", stats.games),
        ("Wins", stats.wins),
        ("Correct answers", stats.correct),
        ("Current streak", stats.streak),
        ("Best streak", stats.best_streak),
    ):
        add_field(embed, label, str(value), inline=True)
    films = [f"*{f.title}*: {_points(f.points)} · {f.correct} correct" for f in stats.films]
    add_field(embed, "Best films", "\n".join(films))
    return fit(embed)


# -- ask -------------------------------------------------------------------------------

from bot.ask import Answer  # noqa: E402  (kept inside this section)

ASK_TITLE_CHARS = 120
ASK_UNKNOWN_COLOUR = discord.Colour(0x7F8C8D)
ASK_HELP_FOOTER = "I answer from my sources only · /film, /person and /quote look things up"


def ask_embed(answer: Answer, library: Library) -> discord.Embed:
    """The answer in the description (spoilers tagged), its sources in the footer."""
    question = " ".join(answer.question.split())
    title = f"❓ {truncate(quoted(question), ASK_TITLE_CHARS)}" if question else None
    embed = discord.Embed(
        title=truncate(title, TITLE_LIMIT) if title else None,
        description=truncate(answer.text, DESCRIPTION_LIMIT),
        colour=COLOUR if answer.known else ASK_UNKNOWN_COLOUR,
    )
    if answer.known:
        return set_sources(embed, library.source_names(list(answer.sources)))
    embed.set_footer(text=ASK_HELP_FOOTER)
    return fit(embed)


def ask_notice_embed(text: str) -> discord.Embed:
    """Usage hints and cooldown notices for /ask and mentions."""
    return discord.Embed(description=truncate(text, DESCRIPTION_LIMIT), colour=ASK_UNKNOWN_COLOUR)

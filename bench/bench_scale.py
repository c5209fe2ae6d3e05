"""Scale figures at 1k, 10k and 100k facts, films and people, each next to a baseline.

Per size, in a fresh process (so memory and caches belong to that size alone):

- cold load: empty database -> services ready (``create_services``: store insert, read
  back, library, search index); unchanged reload: the same on a loaded database. The
  synthetic catalog is handed to the real loader through its parse cache, so YAML
  parsing is timed on its own (``yaml parse``, up to ``--yaml-max``), next to
  ``json.loads`` of the same records. Baseline: plain sqlite3 reading every stored row.
- lookup and autocomplete median/p99 on the live index (exact titles, typos, surnames,
  unknown titles; half-typed queries), next to a plain dict lookup and one plain
  ``rapidfuzz.fuzz.ratio`` on the same queries. The typo tier is also checked against a
  full scan (``typo tier exact``).
- through SimCord: /film (with a typo), film autocomplete, /trivia start and /ask, each
  next to a trivial /ping in the same harness, in turns, views expired between samples.
- /ask: the answerer's build time and median/p99 in process; skipped above ``--ask-max``
  (with the reason) since building it is the slow part.
- trivia judging throughput (``Game.guess``) next to plain ``fuzz.ratio`` calls.
- RSS: peak of a fresh process that opens the loaded database and is ready to serve,
  next to the same with the bundled data only.

Run: ``python bench/bench_scale.py [--sizes 1000 10000 100000] [--json out.json]``.
Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import synthetic  # noqa: E402
from rapidfuzz import fuzz  # noqa: E402
from rapidfuzz.distance import DamerauLevenshtein  # noqa: E402

from bot import catalog as catalog_module  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.search import allowed_edits  # noqa: E402
from bot.services import Services, create_services  # noqa: E402
from bot.text import normalize  # noqa: E402

#: Seconds between SimCord samples: longer than any view's timeout (see bench_foundation).
VIEW_TIMEOUT = 301
TARGETS_100K = {
    "lookup_p99_ms": 20.0,
    "autocomplete_p99_ms": 20.0,
    "ask_p99_ms": 50.0,
    "cold_load_s": 5.0,
    "rss_mb": 300.0,
}
TABLES = ("sources", "films", "people", "credits", "facts", "quotes", "questions")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def summary(samples: list[float], scale: float = 1000.0) -> dict[str, float]:
    return {
        "median": statistics.median(samples) * scale,
        "p99": percentile(samples, 99) * scale,
        "n": len(samples),
    }


def timed(call: Callable[[], object], repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        call()
    return (time.perf_counter() - start) / repeat


# -- data ---------------------------------------------------------------------------------


def stage_catalog(
    size: int, folder: Path, profile: str = "uniform"
) -> tuple[catalog_module.Catalog, Path]:
    """Placeholder data files whose hash keys the synthetic catalog in the parse cache.

    ``create_services`` then runs its real path (hash, "parse", insert, read back,
    library, index) without spending minutes in YAML for 100k records.
    """
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    for name in catalog_module.FILES:
        (data / name).write_text(f"# synthetic catalog, size {size}: {name}\n", encoding="utf-8")
    digest = catalog_module.content_hash(data)
    catalog = synthetic.make_catalog(size, profile=profile)
    catalog = dataclasses.replace(catalog, content_hash=digest)
    catalog_module._parsed.clear()
    catalog_module._parsed[(str(data.resolve()), digest)] = catalog
    return catalog, data


def yaml_parse(catalog: catalog_module.Catalog, folder: Path) -> dict[str, float]:
    """Parse and validate the catalog as data/ YAML, next to json.loads of the same records."""
    data = synthetic.write_data_dir(catalog, folder / "yaml")
    parse = timed(lambda: catalog_module._load(data))
    records = {
        name: [r.model_dump(mode="json") for r in getattr(catalog, field.name)]
        for name, field in zip(catalog_module.FILES, dataclasses.fields(catalog)[:7], strict=True)
    }
    text = json.dumps(records)
    return {"yaml_parse_s": parse, "json_loads_s": timed(lambda: json.loads(text))}


def raw_read(db: Path) -> float:
    """Floor for any load: sqlite3 reading every stored row, no models."""
    conn = sqlite3.connect(db)
    try:
        return timed(lambda: [conn.execute(f"SELECT * FROM {t}").fetchall() for t in TABLES])
    finally:
        conn.close()


async def loads(settings: Settings, reloads: int) -> tuple[dict[str, float], Services]:
    """Cold load (empty database) and unchanged reload, to ready to serve; then how long
    the search index's postings take to finish in their thread (lookups meanwhile scan
    every key: same answers, slower)."""
    start = time.perf_counter()
    services = await create_services(settings)
    cold = time.perf_counter() - start
    await services.warmed()
    complete = time.perf_counter() - start
    await services.close()
    samples = []
    for _ in range(reloads):
        start = time.perf_counter()
        services = await create_services(settings)
        samples.append(time.perf_counter() - start)
        await services.warmed()
        await services.close()
    services = await create_services(settings)
    await services.warmed()
    return {
        "cold_load_s": cold,
        "index_complete_s": complete,
        "reload_s": statistics.median(samples),
    }, services


# -- in-process lookups ---------------------------------------------------------------------


def typo(text: str, rng: random.Random) -> str:
    i = rng.randrange(len(text))
    roll = rng.random()
    if roll < 0.3:
        return text[:i] + text[i + 1 :]
    if roll < 0.6 and i < len(text) - 1:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + text[i + 1 :]


def queries(catalog: catalog_module.Catalog, count: int, seed: int = 11) -> list[tuple[str, str]]:
    """(kind, query): exact titles, typos, surnames, unknown titles, in equal shares."""
    rng = random.Random(seed)
    films = [f.title for f in catalog.films]
    people = [p.name for p in catalog.people]
    out: list[tuple[str, str]] = []
    while len(out) < count:
        out.append(("film", rng.choice(films)))
        out.append(("film", typo(rng.choice(films), rng)))
        out.append(("person", typo(typo(rng.choice(people), rng), rng)))
        out.append(("person", rng.choice(people).split()[-1]))
        out.append(("film", f"{rng.choice(synthetic.NOUN)} Express {rng.randint(5, 99)}"))
    return out[:count]


def lookups(services: Services, catalog: catalog_module.Catalog, count: int) -> dict[str, Any]:
    index = services.index
    mix = queries(catalog, count)
    full_gc = timed(gc.collect)  # a pause any request can land in; measured, then settled
    rng = random.Random(5)
    partial = [
        (k, typo(q[: rng.randint(3, 10)], rng) if rng.random() < 0.5 else q[:6]) for k, q in mix
    ]
    plain = {normalize(e.label): e for e in index.entries}
    labels = [e.label for e in index.entries]

    def each(call: Callable[[str, str], object], pairs: list[tuple[str, str]]) -> list[float]:
        out = []
        for kind, text in pairs:
            start = time.perf_counter()
            call(text, kind)
            out.append(time.perf_counter() - start)
        return out

    result = {
        "lookup_ms": summary(each(index.lookup, mix)),
        "autocomplete_ms": summary(each(index.autocomplete, partial)),
        "dict_lookup_ms": summary(each(lambda q, _k: plain.get(q.casefold()), mix)),
        "ratio_ms": summary(each(lambda q, _k: fuzz.ratio(q, rng.choice(labels)), mix)),
    }
    result["typo_tier_exact"] = typo_tier_check(services, mix[1::5][:40])
    result["full_gc_s"] = full_gc
    result["entries"] = len(index.entries)
    return result


def typo_tier_check(services: Services, mix: list[tuple[str, str]]) -> str:
    """The prefiltered typo tier finds exactly what a scan of every key finds."""
    index = services.index
    agree = 0
    for _kind, text in mix:
        key = normalize(text).replace(" ", "")
        limit = allowed_edits(len(key))
        fast = {index._keys[p] for p, _ in index._within(key, limit)}
        full = {k for k in index._keys if DamerauLevenshtein.distance(key, k) <= limit}
        agree += fast == full
    return f"{agree}/{len(mix)}"


# -- trivia and /ask in process ----------------------------------------------------------------


def trivia_judging(services: Services, guesses: int, with_bank: bool) -> dict[str, Any]:
    """``Game.guess`` on open questions: wrong guesses (distractors, another question's
    answer, chatter), each by a new member, so every one is judged and none closes it."""
    from bot.trivia.engine import Game, GameOptions
    from bot.trivia.generate import catalog_questions

    library = services.library
    bank_s: float | str = "skipped (--trivia-max)"
    if with_bank:
        # What the first /trivia start builds: the per-library index of what can be asked.
        start = time.perf_counter()
        catalog_questions(library)
        bank_s = time.perf_counter() - start
    rng = random.Random(3)
    questions = [q for q in library.questions.values() if not q.spoiler]
    rng.shuffle(questions)
    plans = []
    for number, question in enumerate(questions[:200]):
        other = questions[number + 1].answers[0]
        wrong = [*question.distractors, other, "lol no idea", "is it the one with the motel?"]
        mix = [w for w in wrong if w not in question.answers][:4]
        plans.append((question, mix))
    per_question = max(1, guesses // len(plans))
    judged = 0
    start = time.perf_counter()
    for question, mix in plans:
        game = Game(1, 1, 1, 1, GameOptions(1, 30, "answer"), [question.id])
        game.ask(question, 0.0)
        for member in range(per_question):
            game.guess(member, mix[member % len(mix)], 1.0)
            judged += 1
    engine_rate = judged / (time.perf_counter() - start)
    flat = [(m[i % len(m)], q.answers[0]) for q, m in plans for i in range(per_question)]
    start = time.perf_counter()
    for guess, answer in flat:
        fuzz.ratio(guess, answer)
    return {
        "bank_build_s": bank_s,
        "bank_questions": len(questions),
        "judged_per_s": engine_rate,
        "ratio_per_s": len(flat) / (time.perf_counter() - start),
    }


def rss_mb() -> float:
    status = Path("/proc/self/status").read_text().splitlines()
    return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


async def ask_in_process(services: Services, rounds: int) -> dict[str, Any]:
    """The answerer's build (time and memory) and ``Asker.ask`` as the cog calls it,
    full-text search of the store included."""
    from bot.ask.engine import FTS_LIMIT
    from cogs.ask import get_asker

    before = rss_mb()
    start = time.perf_counter()
    asker = await get_asker(services)  # as the cog builds it
    build = time.perf_counter() - start
    grown = rss_mb() - before
    store = services.store

    async def search(text: str) -> Any:
        return await store.search_facts(text, None, FTS_LIMIT)

    questions = ask_questions(services)
    samples = []
    for _ in range(rounds):
        for question in questions:
            start = time.perf_counter()
            await asker.ask(question, search=search)
            samples.append(time.perf_counter() - start)
    return {"build_s": build, "build_rss_mb": grown, "answer_ms": summary(samples)}


def ask_questions(services: Services) -> list[str]:
    films = list(services.library.films.values())
    rng = random.Random(2)
    picked = [rng.choice(films) for _ in range(6)]
    return [
        "who directed Anora?",
        "when did Tangerine come out?",
        "who plays Igor in Anora?",
        "what was the budget of The Florida Project?",
        *(f"when did {f.title} come out?" for f in picked[:3]),
        *(f"who was in {f.title}?" for f in picked[3:]),
        "what is the capital of France?",
    ]


# -- SimCord ---------------------------------------------------------------------------------


async def simcord_latency(
    settings: Settings,
    catalog: catalog_module.Catalog,
    rounds: int,
    *,
    with_ask: bool,
    with_trivia: bool,
) -> dict[str, Any]:
    """Each command in turns with its same-harness baseline, on a fresh channel.

    SimCord adds ~50 ms to an autocomplete and to a reply while a background task is
    live, so those compare with a trivial autocomplete and a trivial start/stop pair.
    """
    import simcord

    from bot import services as bot_services
    from bot.client import create_bot

    bot = create_bot(settings)
    add_baselines(bot)
    rng = random.Random(4)
    films = [f.title for f in catalog.films]
    out: dict[str, Any] = {}
    # Game timers of 10 s or more wait on the virtual clock; one CPU-heavy step at 100k
    # must not trip the settle check. What a large catalog prepares in worker threads at
    # start (the answerer, the trivia index) is built by ``lazy_builds`` instead, timed
    # on its own: SimCord would count those threads as the bot still starting.
    bot_services.PREPARE_AT_START = False
    async with simcord.run(bot, strict_sync=False, settle_timeout=10) as env:
        cog = bot.get_cog("Ask")
        if cog is not None and hasattr(cog, "limits"):
            from bot.ask.limits import RateLimit

            cog.limits = RateLimit(rate=10**9, per=1)
        guild = env.create_guild()
        alice = guild.add_member(env.create_user("alice"))
        out["lazy_s"] = await lazy_builds(bot, guild.id, with_ask=with_ask, with_trivia=with_trivia)

        async def pair(
            name: str,
            call: Callable[[Any], Awaitable[Any]],
            base: Callable[[Any], Awaitable[Any]] = lambda c: alice.slash(c, "ping"),
        ) -> None:
            channel = guild.create_text_channel(name.replace(" ", "-").strip("/"))
            progress(len(catalog.facts), f"SimCord {name}")
            await base(channel)
            await call(channel)
            await env.advance_time(VIEW_TIMEOUT)
            base_samples, samples = [], []
            for _ in range(rounds):
                base_samples.append(await timed_async(lambda: base(channel)))
                samples.append(await timed_async(lambda: call(channel)))
                await env.advance_time(VIEW_TIMEOUT)
            out[name] = {"sample_ms": summary(samples), "ping_ms": summary(base_samples)}

        await pair(
            "/film typo", lambda c: alice.slash(c, "film", title=typo(rng.choice(films), rng))
        )
        await pair(
            "film autocomplete",
            lambda c: alice.autocomplete(c, "film", "title", typo(rng.choice(films)[:7], rng)),
            lambda c: alice.autocomplete(c, "ping", "text", "ab"),
        )
        if with_trivia and bot.tree.get_command("trivia") is not None:

            async def trivia(channel: Any) -> None:
                await alice.slash(channel, "trivia start", rounds=1)
                await alice.slash(channel, "trivia stop")

            async def game(channel: Any) -> None:
                await alice.slash(channel, "pinggame", start=True)
                await alice.slash(channel, "pinggame", start=False)

            await pair("/trivia start+stop", trivia, game)
        if with_ask:
            questions = ask_questions(bot.services)
            await pair("/ask", lambda c: alice.slash(c, "ask", question=rng.choice(questions)))
        out["errors"] = [repr(e)[:200] for e in env.errors]  # reading acknowledges them
    await bot.close()
    return out


async def lazy_builds(
    bot: Any, guild_id: int, *, with_ask: bool, with_trivia: bool
) -> dict[str, float]:
    """What the first /ask and the first /trivia start build, timed outside the harness.

    They run once per catalog on the event loop; inside an interaction a multi-second
    build would trip SimCord's settle check (and Discord's 3 s deadline), so the figure
    is taken here and the commands are then timed warm.
    """
    out: dict[str, float] = {}
    if with_ask and bot.get_cog("Ask") is not None:
        from cogs.ask import get_asker

        start = time.perf_counter()
        await get_asker(bot.services)
        out["ask"] = time.perf_counter() - start
    trivia = bot.get_cog("Trivia")
    if with_trivia and trivia is not None and hasattr(trivia, "_bank"):
        start = time.perf_counter()
        await trivia._bank(guild_id)
        out["trivia"] = time.perf_counter() - start
    return out


def add_baselines(bot: Any) -> None:
    """/ping (with a trivial autocomplete) and /pinggame (a background task, like a game)."""
    import discord
    from discord import app_commands

    tasks: dict[int, asyncio.Task[None]] = {}

    async def choices(_: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=current or "x", value=current or "x")]

    @app_commands.command(name="ping")
    @app_commands.autocomplete(text=choices)
    async def ping(interaction: discord.Interaction, text: str = "") -> None:
        """Trivial baseline command."""
        await interaction.response.send_message("pong")

    @app_commands.command(name="pinggame")
    async def pinggame(interaction: discord.Interaction, start: bool) -> None:
        """Trivial game: start posts and waits in a task, stop cancels it."""
        channel = interaction.channel
        assert isinstance(channel, discord.abc.Messageable)
        if start:
            await interaction.response.send_message("started")

            async def run() -> None:
                await channel.send("question?")
                await asyncio.sleep(30)

            tasks[channel.id] = asyncio.create_task(run())
        else:
            tasks.pop(channel.id).cancel()
            await interaction.response.send_message("stopped")

    bot.tree.add_command(ping)
    bot.tree.add_command(pinggame)


async def timed_async(call: Callable[[], Awaitable[Any]]) -> float:
    start = time.perf_counter()
    await call()
    return time.perf_counter() - start


# -- memory ----------------------------------------------------------------------------------


SERVING = """
import asyncio, sys
sys.path.insert(0, {root!r})
import simcord
from bot import services as bot_services
from bot.client import create_bot
from bot.config import Settings
from cogs.ask import get_asker

def hwm():
    status = open('/proc/self/status').read().splitlines()
    return next(int(l.split()[1]) for l in status if l.startswith('VmHWM')) / 1024

async def main():
    # Built below, outside any interaction, rather than in threads at start: SimCord
    # counts threads still running at attach as the bot not having started.
    bot_services.PREPARE_AT_START = False
    bot = create_bot(Settings(**{settings!r}))
    async with simcord.run(bot, strict_sync=False, settle_timeout=600) as env:
        await bot.services.warmed()
        ready = hwm()
        guild = env.create_guild()
        await get_asker(bot.services)
        await bot.get_cog("Trivia")._bank(guild.id)
        alice = guild.add_member(env.create_user("alice"))
        channel = guild.create_text_channel("rss")
        await alice.slash(channel, "film", title="Anora")
        await alice.slash(channel, "quote")
        await alice.slash(channel, "ask", question="who directed Anora?")
        await alice.slash(channel, "ask", question="when did Tangerine come out?")
        await alice.slash(channel, "trivia start", rounds=1)
        await alice.slash(channel, "trivia stop")
        serving = hwm()
    await bot.close()
    print(ready, serving)

asyncio.run(main())
"""


def serving_rss_mb(db: Path | None, data: Path | None) -> dict[str, float]:
    """Peak RSS of a fresh bot process on the loaded ``db``: once ready, and after it has
    served /film, /quote, /ask and /trivia start (which build what they need on first
    use), i.e. what a running bot holds."""
    settings = {"BAKERBOT_DATABASE": str(db or ":memory:"), "DISCORD_TOKEN": ""}
    if data:
        settings["BAKERBOT_DATA_DIR"] = str(data)
    code = SERVING.format(root=str(ROOT), settings=settings)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1][:200]}  # type: ignore[dict-item]
    ready, serving = map(float, out.stdout.split()[-2:])
    return {"ready_mb": ready, "serving_mb": serving}


# -- one size ------------------------------------------------------------------------------


def progress(size: int, step: str) -> None:
    print(f"    {size:,}: {step} ({time.strftime('%H:%M:%S')})", file=sys.stderr, flush=True)


async def measure(size: int, opts: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        catalog, data = stage_catalog(size, folder, opts.profile)
        result: dict[str, Any] = {
            "size": size,
            "profile": opts.profile,
            "records": records(catalog),
        }
        progress(size, "yaml")
        if size <= opts.yaml_max:
            result["yaml"] = yaml_parse(catalog, folder)
        db = folder / "bench.sqlite3"
        settings = Settings(BAKERBOT_DATABASE=str(db), BAKERBOT_DATA_DIR=str(data))
        progress(size, "loads")
        result["loads"], services = await loads(settings, opts.reloads)
        result["loads"]["raw_read_s"] = raw_read(db)
        try:
            progress(size, "lookups")
            result["lookups"] = lookups(services, catalog, opts.queries)
            progress(size, "trivia")
            with_bank = size <= opts.trivia_max
            result["trivia"] = guarded(lambda: trivia_judging(services, opts.guesses, with_bank))
            progress(size, "ask")
            with_ask = size <= opts.ask_max
            if with_ask:
                result["ask"] = await guarded_async(ask_in_process(services, opts.ask_rounds))
            else:
                result["ask"] = {"skipped": f"size > --ask-max {opts.ask_max}"}
        finally:
            await services.close()
        progress(size, "simcord")
        result["simcord"] = await simcord_latency(
            settings, catalog, opts.rounds, with_ask=with_ask, with_trivia=with_bank
        )
        progress(size, "rss")
        result["rss"] = serving_rss_mb(db, data)
    return result


def guarded(call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A feature still being built must not sink the other figures."""
    try:
        return call()
    except Exception as exc:  # reported in the table instead
        return {"error": f"{type(exc).__name__}: {exc}"[:200]}


async def guarded_async(call: Awaitable[dict[str, Any]]) -> dict[str, Any]:
    try:
        return await call
    except Exception as exc:  # reported in the table instead
        return {"error": f"{type(exc).__name__}: {exc}"[:200]}


def records(catalog: catalog_module.Catalog) -> dict[str, int]:
    return {f.name: len(getattr(catalog, f.name)) for f in dataclasses.fields(catalog)[:7]}


def run_size_in_subprocess(size: int, argv: list[str]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    try:
        cmd = [sys.executable, __file__, "--one", str(size), "--json", str(out), *argv]
        subprocess.run(cmd, check=True, timeout=3600)
        return json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)


def main(sizes: list[int], argv: list[str]) -> dict[str, Any]:
    results = {"bundled_rss": serving_rss_mb(None, None), "sizes": []}
    for size in sizes:
        print(f"... measuring {size:,} (fresh process)", file=sys.stderr, flush=True)
        results["sizes"].append(run_size_in_subprocess(size, argv))
    return results


# -- report ----------------------------------------------------------------------------------


def _get(row: dict[str, Any], *path: str) -> Any:
    for key in path:
        if not isinstance(row, dict) or key not in row:
            return None
        row = row[key]
    return row


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        if value < 1:
            return f"{value:.2g}{unit}"
        return f"{value:,.2f}{unit}" if value < 100 else f"{value:,.0f}{unit}"
    return f"{value}{unit}"


Cell = Callable[[dict[str, Any]], str]


def pair(value: Any, base: Any) -> str:
    """A figure and, in brackets, its baseline from the same run."""
    return f"{_fmt(value)} [{_fmt(base)}]"


def field(*path: str) -> Cell:
    return lambda r: _fmt(_get(r, *path))


def paired(value: tuple[str, ...], base: tuple[str, ...]) -> Cell:
    return lambda r: pair(_get(r, *value), _get(r, *base))


def skipped_or(section: str, cell: Cell) -> Cell:
    """The cell, or why its section was not measured (skipped, or a feature's error)."""

    def show(r: dict[str, Any]) -> str:
        part = r.get(section) or {}
        return part.get("skipped") or part.get("error") or cell(r)

    return show


def simcord(name: str, stat: str) -> Cell:
    return paired(("simcord", name, "sample_ms", stat), ("simcord", name, "ping_ms", stat))


#: (label, cell, target at 100k); every figure but counts carries its baseline.
ROWS: list[tuple[str, Cell, str]] = [
    (
        "records (facts/films/people)",
        lambda r: "/".join(f"{r['records'][k]:,}" for k in ("facts", "films", "people")),
        "",
    ),
    (
        "cold load s [raw sqlite read]",
        paired(("loads", "cold_load_s"), ("loads", "raw_read_s")),
        "<= 5",
    ),
    (
        "index complete s (thread) [raw read]",
        paired(("loads", "index_complete_s"), ("loads", "raw_read_s")),
        "",
    ),
    ("unchanged reload s [raw read]", paired(("loads", "reload_s"), ("loads", "raw_read_s")), ""),
    (
        "yaml parse s [json.loads]",
        lambda r: (
            paired(("yaml", "yaml_parse_s"), ("yaml", "json_loads_s"))(r)
            if r.get("yaml")
            else "not run (--yaml-max)"
        ),
        "",
    ),
    (
        "lookup median ms [dict.get]",
        paired(("lookups", "lookup_ms", "median"), ("lookups", "dict_lookup_ms", "median")),
        "",
    ),
    (
        "lookup p99 ms [fuzz.ratio]",
        paired(("lookups", "lookup_ms", "p99"), ("lookups", "ratio_ms", "p99")),
        "<= 20",
    ),
    (
        "autocomplete median ms [dict.get]",
        paired(("lookups", "autocomplete_ms", "median"), ("lookups", "dict_lookup_ms", "median")),
        "",
    ),
    (
        "autocomplete p99 ms [fuzz.ratio]",
        paired(("lookups", "autocomplete_ms", "p99"), ("lookups", "ratio_ms", "p99")),
        "<= 20",
    ),
    ("typo tier = full scan", field("lookups", "typo_tier_exact"), "all"),
    (
        "full GC pause s [raw sqlite read]",
        paired(("lookups", "full_gc_s"), ("loads", "raw_read_s")),
        "",
    ),
    ("/ask build s", skipped_or("ask", field("ask", "build_s")), ""),
    ("/ask answerer memory MB", skipped_or("ask", field("ask", "build_rss_mb")), ""),
    (
        "/ask median ms [fuzz.ratio]",
        skipped_or(
            "ask", paired(("ask", "answer_ms", "median"), ("lookups", "ratio_ms", "median"))
        ),
        "",
    ),
    (
        "/ask p99 ms [fuzz.ratio]",
        skipped_or("ask", paired(("ask", "answer_ms", "p99"), ("lookups", "ratio_ms", "p99"))),
        "<= 50",
    ),
    (
        "trivia judged/s [fuzz.ratio/s]",
        skipped_or("trivia", paired(("trivia", "judged_per_s"), ("trivia", "ratio_per_s"))),
        "",
    ),
    ("trivia index build s", skipped_or("trivia", field("trivia", "bank_build_s")), ""),
    ("SimCord /film typo median [ping]", simcord("/film typo", "median"), ""),
    ("SimCord /film typo p99 [ping]", simcord("/film typo", "p99"), ""),
    ("SimCord autocomplete median [ping ac]", simcord("film autocomplete", "median"), ""),
    ("SimCord autocomplete p99 [ping ac]", simcord("film autocomplete", "p99"), ""),
    ("SimCord /trivia start+stop [game]", simcord("/trivia start+stop", "median"), ""),
    ("SimCord first /trivia builds s", field("simcord", "lazy_s", "trivia"), ""),
    ("SimCord /ask median ms [ping]", simcord("/ask", "median"), ""),
    ("SimCord /ask p99 ms [ping]", simcord("/ask", "p99"), ""),
    ("SimCord first /ask builds s", field("simcord", "lazy_s", "ask"), ""),
    ("SimCord unhandled errors", lambda r: str(len(_get(r, "simcord", "errors") or [])), "0"),
    (
        "RSS ready MB [bundled]",
        paired(("rss", "ready_mb"), ("bundled_rss", "ready_mb")),
        "",
    ),
    (
        "RSS serving (after /film /ask /trivia) MB [bundled]",
        paired(("rss", "serving_mb"), ("bundled_rss", "serving_mb")),
        "<= 300",
    ),
]


def rows(results: dict[str, Any]) -> list[tuple[str, list[str], str]]:
    """(metric, one cell per size, target at 100k) for the table."""
    sizes = [{**r, "bundled_rss": results.get("bundled_rss")} for r in results["sizes"]]
    return [(label, [cell(r) for r in sizes], target) for label, cell, target in ROWS]


def report(results: dict[str, Any]) -> None:
    table = rows(results)
    heads = [f"{r['size']:,}" for r in results["sizes"]]
    width = max(34, *(len(m) for m, _, _ in table))
    cols = [max(len(h), *(len(c[i]) for _, c, _ in table)) for i, h in enumerate(heads)]
    print(
        f"{'metric [baseline, same run]':{width}} "
        + " ".join(f"{h:>{w}}" for h, w in zip(heads, cols, strict=True))
        + "  target@100k"
    )
    for metric, values, target in table:
        line = " ".join(f"{v:>{w}}" for v, w in zip(values, cols, strict=True))
        print(f"{metric:{width}} {line}  {target}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=list(synthetic.SIZES))
    parser.add_argument(
        "--profile", choices=synthetic.PROFILES, default="uniform", help="see bench/synthetic.py"
    )
    parser.add_argument("--queries", type=int, default=500, help="in-process lookups per size")
    parser.add_argument("--rounds", type=int, default=40, help="SimCord samples per command")
    parser.add_argument("--reloads", type=int, default=3)
    parser.add_argument("--guesses", type=int, default=30_000)
    parser.add_argument("--ask-rounds", type=int, default=5)
    parser.add_argument(
        "--ask-max", type=int, default=100_000, help="largest size to build /ask for"
    )
    parser.add_argument(
        "--trivia-max", type=int, default=100_000, help="largest size to index trivia for"
    )
    parser.add_argument(
        "--yaml-max", type=int, default=10_000, help="largest size to parse as YAML"
    )
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    return parser


PASS_ON = (
    "profile",
    "queries",
    "rounds",
    "reloads",
    "guesses",
    "ask_rounds",
    "ask_max",
    "trivia_max",
    "yaml_max",
)


def cli(argv: list[str] | None = None) -> dict[str, Any]:
    opts = _parser().parse_args(argv)
    if opts.one is not None:
        result = asyncio.run(measure(opts.one, opts))
        opts.json.write_text(json.dumps(result, indent=2))
        return result
    forward = [f"--{k.replace('_', '-')}={getattr(opts, k)}" for k in PASS_ON]
    results = main(opts.sizes, forward)
    results["targets_100k"] = TARGETS_100K
    report(results)
    if opts.json:
        opts.json.parent.mkdir(parents=True, exist_ok=True)
        opts.json.write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    cli()

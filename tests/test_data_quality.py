"""Quality gates for the curated catalog in ``data/``.

These tests read the YAML directly and validate it with ``bot.models`` only, so they
stay independent of the loader and services. They check that every record is valid,
ids are unique, references resolve, quotes are verbatim from the cited seed texts,
spoilers are flagged, and the headline facts (film years, Anora's Oscars) are right.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ValidationError

from bot.models import Credit, Fact, Film, Person, Quote, Source

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"

MODELS: dict[str, type[BaseModel]] = {
    "sources.yaml": Source,
    "films.yaml": Film,
    "people.yaml": Person,
    "credits.yaml": Credit,
    "facts.yaml": Fact,
    "quotes.yaml": Quote,
}
ID_FILES = ("sources.yaml", "films.yaml", "people.yaml", "facts.yaml", "quotes.yaml")

SEED_SOURCES = {
    "ap-2024": "000_5f6e657ccc2f3018.txt",
    "filmmaker-2024": "001_a830550b03fb9dea.txt",
    "oscars-2025": "002_9c5d9689aeb2531c.txt",
    "indiewire-ending": "003_7bd465ab6492c95a.txt",
    "encyclopedia-bio": "004_6c265ddeba315332.txt",
}
PUBLIC_SOURCES = {"academy-awards-db", "festival-cannes"}
SPOILER_SOURCES = {"indiewire-ending"}

FEATURE_YEARS = {
    "four-letter-words": 2000,
    "take-out": 2004,
    "prince-of-broadway": 2008,
    "starlet": 2012,
    "tangerine": 2015,
    "the-florida-project": 2017,
    "red-rocket": 2021,
    "anora": 2024,
}

# Person ids other parts of the bot rely on (bria-vinaite has no source, so it is absent).
REQUIRED_PEOPLE = {
    "sean-baker",
    "mikey-madison",
    "yura-borisov",
    "mark-eydelshteyn",
    "samantha-quan",
    "shih-ching-tsou",
    "simon-rex",
    "mya-taylor",
    "dree-hemingway",
    "besedka-johnson",
    "drew-daniels",
    "radium-cheung",
    "brooklynn-prince",
    "willem-dafoe",
}

ANORA_OSCARS = {
    "Best Picture": "won",
    "Best Director": "won",
    "Best Actress": "won",
    "Best Original Screenplay": "won",
    "Best Film Editing": "won",
    "Best Supporting Actor": "nominated",
}

_QUOTE_CHARS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_WS = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Straighten quotes and dashes and collapse whitespace, for verbatim checks."""
    return _WS.sub(" ", text.translate(_QUOTE_CHARS)).strip()


@cache
def raw_records(name: str) -> tuple[Any, ...]:
    data = yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))
    assert isinstance(data, list), f"{name}: top level must be a list of records"
    return tuple(data)


@cache
def records(name: str) -> tuple[Any, ...]:
    model = MODELS[name]
    return tuple(model.model_validate(item) for item in raw_records(name))


def sources() -> tuple[Source, ...]:
    return records("sources.yaml")


def films() -> tuple[Film, ...]:
    return records("films.yaml")


def people() -> tuple[Person, ...]:
    return records("people.yaml")


def credits() -> tuple[Credit, ...]:
    return records("credits.yaml")


def facts() -> tuple[Fact, ...]:
    return records("facts.yaml")


def quotes() -> tuple[Quote, ...]:
    return records("quotes.yaml")


def film_by_id(film_id: str) -> Film:
    return next(f for f in films() if f.id == film_id)


# --- Validation and identity -------------------------------------------------------


@pytest.mark.parametrize("name", list(MODELS))
def test_every_record_validates(name: str) -> None:
    problems = []
    for index, item in enumerate(raw_records(name)):
        try:
            MODELS[name].model_validate(item)
        except ValidationError as exc:
            label = item.get("id", f"#{index + 1}") if isinstance(item, dict) else index
            problems.append(f"{name} record {label}: {exc}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", ID_FILES)
def test_ids_unique(name: str) -> None:
    counts = Counter(record.id for record in records(name))
    dupes = sorted(ident for ident, n in counts.items() if n > 1)
    assert not dupes, f"{name}: duplicate ids {dupes}"


def test_credits_unique() -> None:
    counts = Counter((c.film, c.person, c.role) for c in credits())
    dupes = sorted(key for key, n in counts.items() if n > 1)
    assert not dupes, f"credits.yaml: duplicate credits {dupes}"


def test_ids_unique_across_people_and_films() -> None:
    clash = {f.id for f in films()} & {p.id for p in people()}
    assert not clash, f"ids used for both a film and a person: {sorted(clash)}"


# --- Sources -----------------------------------------------------------------------


def test_sources_are_exactly_the_seeds_and_public_refs() -> None:
    assert {s.id for s in sources()} == set(SEED_SOURCES) | PUBLIC_SOURCES


def test_seed_sources_name_their_files() -> None:
    by_id = {s.id: s for s in sources()}
    for source_id, seed_file in SEED_SOURCES.items():
        assert by_id[source_id].seed_file == seed_file
    for source_id in PUBLIC_SOURCES:
        assert by_id[source_id].seed_file is None
        assert by_id[source_id].url, f"{source_id}: a public reference needs a url"
    assert by_id["academy-awards-db"].url == "https://awardsdatabase.oscars.org"


def test_seed_files_exist() -> None:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed texts not available at {SEEDS_DIR}")
    for seed_file in SEED_SOURCES.values():
        assert (SEEDS_DIR / seed_file).is_file(), seed_file


# --- References ----------------------------------------------------------------------


def test_every_reference_resolves() -> None:
    source_ids = {s.id for s in sources()}
    film_ids = {f.id for f in films()}
    person_ids = {p.id for p in people()}
    problems: list[str] = []

    def need(where: str, value: str | None, known: set[str]) -> None:
        if value is not None and value not in known:
            problems.append(f"{where}: unknown id {value!r}")

    for film in films():
        for src in film.sources:
            need(f"films.yaml {film.id} sources", src, source_ids)
        for award in film.awards:
            for src in award.sources:
                need(f"films.yaml {film.id} award {award.category}", src, source_ids)
    for person in people():
        for src in person.sources:
            need(f"people.yaml {person.id} sources", src, source_ids)
    for credit in credits():
        where = f"credits.yaml {credit.film}/{credit.person}/{credit.role}"
        need(f"{where} film", credit.film, film_ids)
        need(f"{where} person", credit.person, person_ids)
        for src in credit.sources:
            need(f"{where} sources", src, source_ids)
    for fact in facts():
        need(f"facts.yaml {fact.id} film", fact.film, film_ids)
        need(f"facts.yaml {fact.id} person", fact.person, person_ids)
        if fact.film is None and fact.person is None:
            problems.append(f"facts.yaml {fact.id}: needs a film or a person")
        for src in fact.sources:
            need(f"facts.yaml {fact.id} sources", src, source_ids)
    for quote in quotes():
        need(f"quotes.yaml {quote.id} speaker", quote.speaker, person_ids)
        need(f"quotes.yaml {quote.id} film", quote.film, film_ids)
        need(f"quotes.yaml {quote.id} source", quote.source, source_ids)
    assert not problems, "\n".join(problems)


def test_quotes_cite_seed_texts() -> None:
    bad = [q.id for q in quotes() if q.source not in SEED_SOURCES]
    assert not bad, f"quotes must cite a seed text: {bad}"


def test_actor_credits_only_carry_characters() -> None:
    bad = [f"{c.film}/{c.person}" for c in credits() if c.character and c.role != "actor"]
    assert not bad, f"only actor credits name a character: {bad}"


# --- Quotes are verbatim ---------------------------------------------------------------


def test_quotes_are_verbatim() -> None:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed texts not available at {SEEDS_DIR}")
    seeds = {
        source_id: normalise((SEEDS_DIR / name).read_text(encoding="utf-8"))
        for source_id, name in SEED_SOURCES.items()
    }
    missing = [
        f"{q.id} ({q.source}): {q.text[:60]!r}"
        for q in quotes()
        if normalise(q.text) not in seeds.get(q.source, "")
    ]
    assert not missing, "quotes not found verbatim in their source:\n" + "\n".join(missing)


def test_normalise_tolerates_typography_only() -> None:
    assert normalise("\u201cShe\u2019s Ani.\u201d") == '"She\'s Ani."'
    assert normalise("movie\u2014it  was\n done") == "movie-it was done"
    assert normalise("She's Ani") != normalise("She is Ani")


# --- Spoilers ----------------------------------------------------------------------------


def test_spoiler_source_facts_are_flagged() -> None:
    bad = [f.id for f in facts() if SPOILER_SOURCES & set(f.sources) and not f.spoiler]
    assert not bad, f"facts citing the spoiler interview must be spoiler: true: {bad}"


def test_ending_tagged_facts_are_flagged() -> None:
    bad = [f.id for f in facts() if "ending" in f.tags and not f.spoiler]
    assert not bad, f"facts tagged 'ending' must be spoiler: true: {bad}"


def test_synopses_do_not_come_from_the_spoiler_source() -> None:
    bad = [f.id for f in films() if SPOILER_SOURCES & set(f.sources)]
    assert not bad, f"film records (shown without spoiler tags) cite a spoiler source: {bad}"


# --- Coverage ----------------------------------------------------------------------------


def test_minimum_counts() -> None:
    assert len(facts()) >= 150
    assert len(people()) >= 25
    assert len(quotes()) >= 40


def test_required_people_present() -> None:
    missing = REQUIRED_PEOPLE - {p.id for p in people()}
    assert not missing, f"people missing: {sorted(missing)}"


def test_sean_baker_born() -> None:
    baker = next(p for p in people() if p.id == "sean-baker")
    assert baker.born == "1971-02-26"


def test_baker_directs_every_feature() -> None:
    directed = {c.film for c in credits() if c.person == "sean-baker" and c.role == "director"}
    assert directed == set(FEATURE_YEARS)
    assert any(
        c.film == "take-out" and c.person == "shih-ching-tsou" and c.role == "co-director"
        for c in credits()
    )


# --- Headline facts --------------------------------------------------------------------


def test_feature_film_years() -> None:
    features = {f.id: f.year for f in films() if f.kind == "feature"}
    assert features == FEATURE_YEARS


def test_tv_records_have_kind_tv() -> None:
    for film in films():
        if film.id not in FEATURE_YEARS:
            assert film.kind == "tv", f"{film.id}: only the eight features are kind feature"


def test_anora_oscars() -> None:
    oscars = [a for a in film_by_id("anora").awards if a.festival == "Academy Awards"]
    assert len(oscars) == 6
    assert sum(a.result == "won" for a in oscars) == 5
    assert {a.category: a.result for a in oscars} == ANORA_OSCARS
    for award in oscars:
        assert award.edition == "97th"
        assert award.date == "2025-03-02"
    supporting = next(a for a in oscars if a.category == "Best Supporting Actor")
    assert supporting.nominee == "Yura Borisov"


def test_anora_palme_dor() -> None:
    palme = [a for a in film_by_id("anora").awards if a.category == "Palme d'Or"]
    assert len(palme) == 1
    assert palme[0].festival == "Cannes Film Festival"
    assert palme[0].edition == "2024"
    assert palme[0].result == "won"


def test_known_seed_errors_not_repeated() -> None:
    texts = [f.text for f in facts()] + [str(f.model_dump()) for f in films()]
    for text in texts:
        assert "Best Original Editing" not in text
        assert "97the" not in text
    assert not any("Baker, 53" in t or "Baker was 53 at the" in t for t in texts)

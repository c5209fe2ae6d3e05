"""Synthetic catalogs for the scale benchmarks: realistic titles, names and facts.

``make_catalog(size)`` returns the bundled catalog plus generated records, so the real
films still answer ("anora", "florida project") while the index, the store and /ask
carry ``size`` facts, films and people each (and as many credits, a tenth as many
quotes and trivia questions); the ``facts`` profile keeps films and people realistic.
Records look like the curated ones: titles built from film-title words ("The Last
Motel", "Harbor Lights 2"), names from many languages ("Ana Kowalczyk", "Dmitri
Okafor-Lindqvist"), facts in the catalog's sentence shapes. Titles and names repeat now
and then, as they do in real filmographies.

``write_data_dir(catalog, folder)`` writes it as ``data/`` YAML, so a cold load goes
through the same parse, validation and insert as the bundled files.

Run alone: ``python bench/synthetic.py 10000 --out /tmp/data`` writes a data folder.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.catalog import FILES, Catalog, load_catalog  # noqa: E402
from bot.models import Credit, Fact, Film, Person, Question, Quote, Source  # noqa: E402

SIZES = (1_000, 10_000, 100_000)


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(sep))


SOURCE = Source(id="synthetic", title="Synthetic benchmark data", publisher="BakerBot bench")

FIRST = _words(
    "Ana Aleksander Amara Anders Anouk Arjun Astrid Ayesha Beatriz Bianca Björn Bree "
    "Camila Carmen Chen Chiara Colm Dana Daniel Darius Dmitri Dree Elif Elena Emeka Emil "
    "Esther Farah Felix Freya Gabriel Greta Hana Hugo Ibrahim Ines Ingrid Isaac Ivan Jamal "
    "Javier Jia Joaquin Jonas Julia Kai Kamala Karim Kenji Kitana Lars Layla Leila Lena Liam "
    "Lucia Luis Maja Malik Marek Maria Mateo Mei Mikey Milan Mira Mya Nadia Nikolai Nina "
    "Noor Olga Omar Oskar Paolo Priya Rafael Rania Ravi Rosa Ruth Sanjay Sara Simon Sofia "
    "Soren Tariq Teresa Thandiwe Tomas Uma Valeria Vera Viktor Willem Xin Yara Yuki Yura "
    "Zainab Zofia Abel Adriana Agnieszka Aiko Akira Alejandro Alina Amir Andrei Anton "
    "Ayumi Bartosz Bogdan Caleb Catalina Cyrus Dalia Dario Delphine Diego Dorota Eduardo "
    "Emiko Enzo Esme Fatima Flavia Goran Hamid Hiroshi Idris Ilse Imani Irina Jakub Jana "
    "Joon Kalinda Kasia Katya Keanu Kofi Lorenzo Luca Magda Marisol Matteo Mehmet Mikhail "
    "Nasrin Nobuko Nuno Oksana Olusegun Pavel Pilar Radek Renata Rin Rustam Sabine Selin "
    "Sergei Shira Sunita Svetlana Takeshi Tamar Tomasz Ulla Vadim Wanjiru Yasmin Yusuf Zeynep"
)
LAST = _words(
    "Abbott Adeyemi Alvarez Andersson Baker Banerjee Becker Bianchi Borisov Brennan Castillo "
    "Chowdhury Costa Dafoe Dimitrov Dubois Eriksen Eydelshteyn Farouk Fischer Fonseca "
    "Gallagher Garcia Haddad Hansen Hayashi Hemingway Herrera Horvat Ivanova Jansen Jovanovic "
    "Kaminski Karagulian Kim Kowalczyk Kuznetsov Larsen Lindqvist Lopez Madison Mahmoud "
    "Marchetti Mendoza Moreau Murphy Nakamura Navarro Nguyen Novak Nowak Okafor Olsen "
    "Ortiz Park Patel Petrov Popescu Prince Quan Quinn Rahman Reyes Rex Rodriguez Romano "
    "Rossi Sato Schmidt Silva Sokolov Suzuki Tanaka Taylor Tsou Varga Vasquez Volkov Wagner "
    "Watanabe Weber Wong Yilmaz Yamamoto Zhang Zielinski Achterberg Alcantara Amundsen "
    "Arslan Babic Baptiste Bauer Bergstrom Bhattacharya Blanchard Bondarenko Castellanos "
    "Cerny Constantin Cruz Dalgaard Delacroix Demir Donnelly Ebert Esposito Falk Ferreira "
    "Fitzgerald Gonzaga Grabowski Gutierrez Halvorsen Hoffmann Iglesias Ishikawa Jablonski "
    "Kapoor Karlsson Kaur Kovac Krol Lambert Lemaire Lindgren Lombardi Maalouf Mansour "
    "Mazur Moretti Mwangi Nakashima Nieminen Obi Oyelaran Pacheco Pellegrini Pham Quispe "
    "Raghunathan Renaud Sandoval Santangelo Sepulveda Shevchenko Sorensen Stavros Szabo "
    "Takahashi Toivonen Urquhart Valdivia Vukovic Wojcik Yankovic Zamora Zapata Zoltan"
)
ADJ = _words(
    "Red Blue Golden Silent Broken Last Lost Little Wild Bright Quiet Neon Pale Crooked "
    "Lonely Hidden Burning Sweet Bitter Empty Velvet Electric Hollow Tender Savage Restless "
    "Painted Secret Northern Southern Endless Frozen Drowned Sleeping Midnight Early Late "
    "Amber Ashen Borrowed Brave Cold Dusty Faded Fragile Gentle Glass Heavy Humble Lucky "
    "Paper Rusty Scarlet Shallow Stolen Strange Sudden Tired Violet Wandering Wicked Young"
)
NOUN = _words(
    "Motel Rocket Tangerine Project Harbor Summer Winter Garden River Highway Diner Kingdom "
    "Starlet Prince Take Letters Paradise Carnival Boulevard Island Station Orchard Lights "
    "Storm Country Shadows Horses Mirror Bridge Factory Hotel Lantern Ocean Desert Window "
    "Apartment Parade Circus Sparrow Coyote Avenue Market Chapel Tower Dreams Streets "
    "Alley Arcade Ballroom Bakery Canyon Cathedral Cinema Cowboys Daughters Dogs Ferry "
    "Fireworks Fountain Harvest Heatwave Jukebox Laundromat Lullaby Meadow Mermaid Monsoon "
    "Pawnshop Pier Pilgrims Rooftop Saints Sisters Strangers Suburbs Thieves Trailer Waltz"
)
PLACE = _words(
    "Brooklyn|Orlando|Houston|Queens|Texas|Moscow|Las Vegas|Coney Island|Lisbon|Manila|"
    "Marseille|Naples|Osaka|Lagos|Hanoi|Detroit|Tijuana|Reno|Tucson|Havana|Glasgow|Bergen|"
    "Kraków|Tbilisi|Palermo|Busan|Nairobi|Oaxaca|Montréal|Baltimore|Memphis|Lyon|Tangier",
    sep="|",
)
ROLES = ("actor", "actor", "actor", "producer", "editor", "cinematographer", "writer")
FACT_SHAPES = (
    "{person} shot {film} in {n} days with a crew of {m}.",
    "{film} premiered at the {fest} in {year}.",
    "{person} plays {character} in {film}.",
    "{film} was made for about ${n},000 and filmed in {place}.",
    "{person} studied film in {place} before working on {film}.",
    "{film} runs {n} minutes and was edited by {person}.",
    "{person} was cast in {film} after the director saw them on social media.",
    "{film} won the {prize} at the {fest} in {year}.",
)
FESTIVALS = ("Cannes Film Festival", "Sundance Film Festival", "Berlinale", "Venice Film Festival")
PRIZES = ("Audience Award", "Grand Jury Prize", "Jury Prize", "Special Mention")


#: ``uniform``: ``size`` facts, films and people each (the index holds 2 x size
#: entries); ``facts``: ``size`` facts about a realistic cast, size/100 films and
#: size/10 people (moderators and imports add facts far faster than films appear).
PROFILES = ("uniform", "facts")


@dataclass(frozen=True)
class Counts:
    """How many records of each kind a synthetic catalog adds."""

    films: int
    people: int
    facts: int
    credits: int
    quotes: int
    questions: int

    @classmethod
    def for_size(cls, size: int, profile: str = "uniform") -> Counts:
        if profile == "facts":
            return cls(
                max(1, size // 100), max(1, size // 10), size, size // 2, size // 10, size // 10
            )
        return cls(size, size, size, size, size // 10, size // 10)


def person_name(rng: random.Random) -> str:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    roll = rng.random()
    if roll < 0.3:
        return f"{first} {rng.choice(FIRST)} {last}"
    if roll < 0.45:
        return f"{first} {last}-{rng.choice(LAST)}"
    if roll < 0.55:
        return f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}"
    return f"{first} {last}"


def film_title(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.25:
        title = f"{rng.choice(ADJ)} {rng.choice(NOUN)}"
    elif roll < 0.4:
        title = f"The {rng.choice(ADJ)} {rng.choice(NOUN)}"
    elif roll < 0.55:
        title = f"{rng.choice(NOUN)} of {rng.choice(PLACE)}"
    elif roll < 0.65:
        title = f"{rng.choice(FIRST)}'s {rng.choice(NOUN)}"
    elif roll < 0.75:
        title = f"{rng.choice(PLACE)} {rng.choice(NOUN)}"
    elif roll < 0.85:
        title = f"The {rng.choice(NOUN)} {rng.choice(NOUN)}"
    elif roll < 0.93:
        title = f"{rng.choice(ADJ)} {rng.choice(NOUN)} {rng.choice(PLACE)}"
    else:
        title = f"{rng.choice(NOUN)} and {rng.choice(NOUN)} in {rng.choice(PLACE)}"
    if rng.random() < 0.08:
        title += f" {rng.randint(2, 4)}"
    return title


def _slug(text: str, serial: int) -> str:
    base = "".join(ch if ch.isalnum() else "-" for ch in text.lower()).encode("ascii", "ignore")
    words = [w for w in base.decode().split("-") if w]
    return "-".join([*words[:5], f"s{serial}"])


def make_catalog(
    size: int, *, seed: int = 7, base: Catalog | None = None, profile: str = "uniform"
) -> Catalog:
    """The bundled catalog (or ``base``) plus generated records (see ``PROFILES``)."""
    base = base if base is not None else load_catalog()
    counts = Counts.for_size(size, profile)
    rng = random.Random(seed)
    films = [_film(rng, i) for i in range(counts.films)]
    people = [_person(rng, i) for i in range(counts.people)]
    credits = [
        Credit(
            film=rng.choice(films).id,
            person=rng.choice(people).id,
            role=(role := rng.choice(ROLES)),
            character=rng.choice(FIRST) if role == "actor" else None,
            sources=(SOURCE.id,),
        )
        for _ in range(counts.credits)
    ]
    facts = [_fact(rng, i, films, people) for i in range(counts.facts)]
    quotes = [
        Quote(
            id=f"sq-{i}",
            text=f"We shot {rng.choice(NOUN).lower()} scenes in {rng.choice(PLACE)} "
            f"with {rng.randint(2, 40)} people and no permits.",
            speaker=rng.choice(people).id,
            film=rng.choice(films).id,
            source=SOURCE.id,
        )
        for i in range(counts.quotes)
    ]
    questions = [_question(rng, i, films) for i in range(counts.questions)]
    return Catalog(
        sources=(*base.sources, SOURCE),
        films=(*base.films, *films),
        people=(*base.people, *people),
        credits=(*base.credits, *credits),
        facts=(*base.facts, *facts),
        quotes=(*base.quotes, *quotes),
        questions=(*base.questions, *questions),
        content_hash=f"synthetic-{profile}-{size}-{seed}-{base.content_hash}",
    )


def _film(rng: random.Random, serial: int) -> Film:
    title = film_title(rng)
    return Film(
        id=_slug(title, serial),
        title=title,
        year=rng.randint(1990, 2025),
        aliases=(title.replace("The ", ""),)
        if title.startswith("The ") and rng.random() < 0.3
        else (),
        synopsis=f"A {rng.choice(ADJ).lower()} story set around a {rng.choice(NOUN).lower()} "
        f"in {rng.choice(PLACE)}.",
        runtime_minutes=rng.randint(70, 150),
        sources=(SOURCE.id,),
    )


def _person(rng: random.Random, serial: int) -> Person:
    name = person_name(rng)
    return Person(
        id=_slug(name, serial),
        name=name,
        bio=f"Worked in {rng.choice(PLACE)} on independent films.",
        sources=(SOURCE.id,),
    )


def _fact(rng: random.Random, serial: int, films: list[Film], people: list[Person]) -> Fact:
    film, person = rng.choice(films), rng.choice(people)
    text = rng.choice(FACT_SHAPES).format(
        person=person.name,
        film=film.title,
        n=rng.randint(12, 140),
        m=rng.randint(3, 30),
        year=film.year,
        fest=rng.choice(FESTIVALS),
        prize=rng.choice(PRIZES),
        place=rng.choice(PLACE),
        character=rng.choice(FIRST),
    )
    return Fact(
        id=f"sf-{serial}",
        text=text,
        film=film.id,
        person=person.id if person.name in text else None,
        tags=("production",),
        sources=(SOURCE.id,),
    )


def _question(rng: random.Random, serial: int, films: list[Film]) -> Question:
    film = rng.choice(films)
    wrong = {rng.randint(1990, 2025) for _ in range(6)} - {film.year}
    return Question(
        id=f"sq-q-{serial}",
        question=f"In what year was {film.title} released?",
        answers=(str(film.year),),
        kind="number",
        film=film.id,
        distractors=tuple(str(y) for y in sorted(wrong)[:3]),
        sources=(SOURCE.id,),
    )


def _plain(record: Any) -> dict[str, Any]:
    return record.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


def write_data_dir(catalog: Catalog, folder: Path) -> Path:
    """Write ``catalog`` as a ``data/`` folder the bot can load (BAKERBOT_DATA_DIR)."""
    folder.mkdir(parents=True, exist_ok=True)
    parts = {
        "sources.yaml": catalog.sources,
        "films.yaml": catalog.films,
        "people.yaml": catalog.people,
        "credits.yaml": catalog.credits,
        "facts.yaml": catalog.facts,
        "quotes.yaml": catalog.quotes,
        "trivia.yaml": catalog.questions,
    }
    assert set(parts) == set(FILES)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    for name, records in parts.items():
        text = yaml.dump(
            [_plain(r) for r in records], Dumper=dumper, allow_unicode=True, sort_keys=False
        )
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("size", type=int)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--profile", choices=PROFILES, default="uniform")
    args = parser.parse_args()
    catalog = make_catalog(args.size, profile=args.profile)
    write_data_dir(catalog, args.out)
    print(f"wrote {len(catalog.facts)} facts, {len(catalog.films)} films to {args.out}")


if __name__ == "__main__":
    main()

"""Load ``data/`` into validated models.

A bad record must never reach users, and a moderator editing YAML needs to know exactly
what to fix, so every error names the file, the record id and the field.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.models import Credit, Fact, Film, Person, Question, Quote, Source

log = logging.getLogger(__name__)

#: File name -> model, in load order (sources first: everything cites them).
FILES: dict[str, type[BaseModel]] = {
    "sources.yaml": Source,
    "films.yaml": Film,
    "people.yaml": Person,
    "credits.yaml": Credit,
    "facts.yaml": Fact,
    "quotes.yaml": Quote,
    "trivia.yaml": Question,
}
OPTIONAL_FILES = frozenset({"trivia.yaml"})

M = TypeVar("M", bound=BaseModel)

#: libyaml's safe loader is ~7x faster than the pure-Python one; same safety.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CatalogError(Exception):
    """Raised with every problem found, one per line, each naming file, record, field."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Catalog:
    """The curated data, validated and cross-checked."""

    sources: tuple[Source, ...] = ()
    films: tuple[Film, ...] = ()
    people: tuple[Person, ...] = ()
    credits: tuple[Credit, ...] = ()
    facts: tuple[Fact, ...] = ()
    quotes: tuple[Quote, ...] = ()
    questions: tuple[Question, ...] = ()
    content_hash: str = ""
    _films_by_id: dict[str, Film] = field(default_factory=dict, repr=False, compare=False)
    _people_by_id: dict[str, Person] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._films_by_id.update({f.id: f for f in self.films})
        self._people_by_id.update({p.id: p for p in self.people})

    def film(self, film_id: str) -> Film | None:
        return self._films_by_id.get(film_id)

    @property
    def size(self) -> int:
        """Records of every kind."""
        tables = (
            self.sources,
            self.films,
            self.people,
            self.credits,
            self.facts,
            self.quotes,
            self.questions,
        )
        return sum(map(len, tables))

    def person(self, person_id: str) -> Person | None:
        return self._people_by_id.get(person_id)


def default_data_dir() -> Path:
    """Find the bundled data both in a checkout and in an installed package."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "data", here / "data"):
        if (candidate / "films.yaml").is_file():
            return candidate
    raise CatalogError([f"bundled data not found next to {here} (looked for data/films.yaml)"])


def _record_label(raw: object, index: int) -> str:
    if isinstance(raw, dict):
        ident = raw.get("id") or (raw.get("film") and f"{raw.get('film')}/{raw.get('person')}")
        if ident:
            return f"record {ident!r}"
    return f"record #{index + 1}"


def _parse_file(path: Path, model: type[M], problems: list[str]) -> list[M]:
    """Validate each record on its own so one bad record does not hide the others."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(f"{path.name}: cannot read: {exc}".replace("\n", " "))
        return []
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(f"{path.name}: expected a list of records, got {type(raw).__name__}")
        return []
    records: list[M] = []
    for index, item in enumerate(raw):
        label = _record_label(item, index)
        try:
            records.append(model.model_validate(item))
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(part) for part in err["loc"]) or "(record)"
                problems.append(f"{path.name}: {label}: field {where!r}: {err['msg']}")
    return records


def _check_unique(name: str, ids: Iterable[str], problems: list[str]) -> None:
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            problems.append(f"{name}: record {ident!r}: field 'id': duplicate id")
        seen.add(ident)


def _check_refs(catalog: Catalog, problems: list[str]) -> None:
    """Every reference must resolve, or a lookup would show a dangling id."""
    sources = {s.id for s in catalog.sources}
    films = {f.id for f in catalog.films}
    people = {p.id for p in catalog.people}

    def need(file: str, label: str, fld: str, value: str | None, known: set[str]) -> None:
        if value is not None and value not in known:
            problems.append(f"{file}: {label}: field {fld!r}: unknown id {value!r}")

    for film in catalog.films:
        for src in film.sources:
            need("films.yaml", f"record {film.id!r}", "sources", src, sources)
        for i, award in enumerate(film.awards):
            for src in award.sources:
                need("films.yaml", f"record {film.id!r}", f"awards.{i}.sources", src, sources)
    for person in catalog.people:
        for src in person.sources:
            need("people.yaml", f"record {person.id!r}", "sources", src, sources)
    for credit in catalog.credits:
        label = f"record '{credit.film}/{credit.person}'"
        need("credits.yaml", label, "film", credit.film, films)
        need("credits.yaml", label, "person", credit.person, people)
        for src in credit.sources:
            need("credits.yaml", label, "sources", src, sources)
    for fact in catalog.facts:
        label = f"record {fact.id!r}"
        need("facts.yaml", label, "film", fact.film, films)
        need("facts.yaml", label, "person", fact.person, people)
        if fact.film is None and fact.person is None:
            problems.append(f"facts.yaml: {label}: field 'film': a fact needs a film or person")
        for src in fact.sources:
            need("facts.yaml", label, "sources", src, sources)
    for quote in catalog.quotes:
        label = f"record {quote.id!r}"
        need("quotes.yaml", label, "speaker", quote.speaker, people)
        need("quotes.yaml", label, "film", quote.film, films)
        need("quotes.yaml", label, "source", quote.source, sources)
    for question in catalog.questions:
        label = f"record {question.id!r}"
        need("trivia.yaml", label, "film", question.film, films)
        for src in question.sources:
            need("trivia.yaml", label, "sources", src, sources)


def content_hash(data_dir: Path) -> str:
    """Hash of every data file, so an unchanged catalog is never rewritten."""
    digest = hashlib.sha256()
    for name in FILES:
        path = data_dir / name
        if path.is_file():
            digest.update(name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


#: Parsed catalogs by (folder, content hash): a catalog is immutable, so a second bot in
#: the same process (tests, restarts, plugin mode) reuses the parse.
_parsed: dict[tuple[str, str], Catalog] = {}
#: Records above which a parse is not kept: once stored, a large catalog is read from
#: the store, and its models would hold hundreds of MB for nothing.
PARSE_CACHE_MAX = 20_000


def load_catalog(data_dir: Path | None = None) -> Catalog:
    """Read, validate and cross-check ``data_dir``; raise ``CatalogError`` listing all faults."""
    data_dir = data_dir or default_data_dir()
    key = (str(data_dir.resolve()), content_hash(data_dir))
    if key in _parsed:
        return _parsed[key]
    catalog = _load(data_dir)
    _parsed.clear()
    if catalog.size <= PARSE_CACHE_MAX:
        _parsed[key] = catalog
    return catalog


def _load(data_dir: Path) -> Catalog:
    problems: list[str] = []
    parsed: dict[str, list[Any]] = {}
    for name, model in FILES.items():
        path = data_dir / name
        if not path.is_file():
            if name not in OPTIONAL_FILES:
                problems.append(f"{name}: file missing in {data_dir}")
            parsed[name] = []
            continue
        parsed[name] = _parse_file(path, model, problems)
    for name in ("sources.yaml", "films.yaml", "people.yaml", "facts.yaml", "quotes.yaml"):
        _check_unique(name, (r.id for r in parsed[name]), problems)
    _check_unique("trivia.yaml", (q.id for q in parsed["trivia.yaml"]), problems)
    catalog = Catalog(
        sources=tuple(parsed["sources.yaml"]),
        films=tuple(sorted(parsed["films.yaml"], key=lambda f: (f.year, f.title))),
        people=tuple(parsed["people.yaml"]),
        credits=tuple(parsed["credits.yaml"]),
        facts=tuple(parsed["facts.yaml"]),
        quotes=tuple(parsed["quotes.yaml"]),
        questions=tuple(parsed["trivia.yaml"]),
        content_hash=content_hash(data_dir),
    )
    _check_refs(catalog, problems)
    if problems:
        raise CatalogError(problems)
    log.info(
        "catalog loaded: %d films, %d people, %d facts, %d quotes, %d questions",
        len(catalog.films),
        len(catalog.people),
        len(catalog.facts),
        len(catalog.quotes),
        len(catalog.questions),
    )
    return catalog

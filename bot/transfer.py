"""Export and import a server's records, and import Red-DiscordBot trivia lists.

The export is one YAML file holding ``facts``, ``quotes`` and ``trivia`` lists in the
same record format as ``data/`` (plus ``hidden``: the curated facts the server hides),
so an export imported into an empty server gives the same records back. Imports run
every record through the same checks as Discord submissions, write all-or-nothing, and
report what was imported and what was skipped and why.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ValidationError

from bot.errors import UserFacingError
from bot.models import Fact, Question, Quote
from bot.moderation.records import CLI_ACTOR, GuildRecord, RecordKind
from bot.moderation.service import PENDING_ID, Moderation
from bot.moderation.validation import SERVER_SOURCE, find_duplicate, shown

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.store import Store

log = logging.getLogger(__name__)

#: Export key -> record kind, in file order.
SECTIONS: dict[str, RecordKind] = {"facts": "fact", "quotes": "quote", "trivia": "question"}
MODELS: dict[RecordKind, type[Fact | Quote | Question]] = {
    "fact": Fact,
    "quote": Quote,
    "question": Question,
}
#: Keys of a Red trivia list that are settings, not questions.
RED_RESERVED = ("AUTHOR", "CONFIG")
_SLUG_CHARS = re.compile(r"[^a-z0-9]+")


class TransferError(Exception):
    """The file cannot be read as an export or a trivia list; nothing was imported."""


@dataclass
class ImportReport:
    """What an import did, one line per record, for the command line or a reply."""

    imported: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"imported {len(self.imported)}, skipped {len(self.skipped)}"

    def lines(self) -> list[str]:
        return [
            *self.notes,
            f"Imported {len(self.imported)}, skipped {len(self.skipped)}.",
            *(f"  + {line}" for line in self.imported),
            *(f"  - {line}" for line in self.skipped),
        ]


def _record_dict(record: BaseModel) -> dict[str, Any]:
    """A record as ``data/`` writes it: no guild, no default values."""
    return record.model_dump(mode="json", exclude={"guild_id"}, exclude_defaults=True)


async def export_guild(store: Store, guild_id: int) -> dict[str, Any]:
    """Every live record of one server, and the curated facts it hides."""
    hidden = await store.hidden_facts()
    return {
        "facts": [_record_dict(f) for f in await store.guild_facts(guild_id)],
        "quotes": [_record_dict(q) for q in await store.guild_quotes(guild_id)],
        "trivia": [_record_dict(q) for q in await store.guild_questions(guild_id)],
        "hidden": sorted(hidden.get(guild_id, set())),
    }


def export_yaml(data: dict[str, Any], guild_id: int) -> str:
    header = (
        f"# BakerBot export of server {guild_id}: records in the data/ format.\n"
        f"# Import with: bakerbot import --guild ID this-file.yaml\n"
    )
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TransferError(f"cannot read {path}: {exc}".replace("\n", " ")) from exc


def _kind_of_raw(raw: dict[str, Any]) -> RecordKind:
    if "question" in raw or "answers" in raw:
        return "question"
    return "quote" if "speaker" in raw else "fact"


def split_export(data: Any) -> tuple[list[tuple[RecordKind, Any]], list[Any]]:
    """(kind, raw record) pairs and hidden ids from an export, or from one data/ file."""
    if isinstance(data, list):
        kinds = [_kind_of_raw(r) if isinstance(r, dict) else "fact" for r in data]
        return list(zip(kinds, data, strict=True)), []
    if not isinstance(data, dict) or not set(data) & {*SECTIONS, "hidden"}:
        raise TransferError(
            "expected a BakerBot export (facts, quotes, trivia, hidden) or a list of "
            "records as in data/; for a Red trivia list use --red"
        )
    unknown = set(data) - {*SECTIONS, "hidden"}
    if unknown:
        raise TransferError(f"unknown sections in the export: {', '.join(sorted(unknown))}")
    records: list[tuple[RecordKind, Any]] = []
    for key, kind in SECTIONS.items():
        section = data.get(key) or []
        if not isinstance(section, list):
            raise TransferError(f"section {key!r} must be a list of records")
        records.extend((kind, raw) for raw in section)
    hidden = data.get("hidden") or []
    if not isinstance(hidden, list):
        raise TransferError("section 'hidden' must be a list of curated fact ids")
    return records, hidden


def _label(kind: RecordKind, raw: Any) -> str:
    ident = raw.get("id") if isinstance(raw, dict) else None
    return f"{'trivia question' if kind == 'question' else kind} {ident or '(no id)'}"


def _validation_reason(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(part) for part in err["loc"]) or "record"
    return f"field {where!r}: {err['msg']}"


class Importer:
    """Plans an import record by record, then writes it in one transaction."""

    def __init__(self, moderation: Moderation, guild_id: int, actor_id: int) -> None:
        self.moderation = moderation
        self.guild_id = guild_id
        self.actor_id = actor_id
        self.report = ImportReport()
        self.planned: list[tuple[GuildRecord, bool]] = []

    async def _check(self, record: GuildRecord) -> GuildRecord:
        """The moderator checks, keeping fields Discord submissions do not set."""
        m, gid = self.moderation, self.guild_id
        if isinstance(record, Fact):
            checked: GuildRecord = await m.check_fact(
                gid,
                text=record.text,
                film=record.film,
                person=record.person,
                source=record.sources,
                spoiler=record.spoiler,
            )
            return checked.model_copy(update={"tags": record.tags})
        if isinstance(record, Quote):
            return await m.check_quote(
                gid,
                text=record.text,
                speaker=record.speaker,
                film=record.film,
                source=record.source,
                context=record.context,
                spoiler=record.spoiler,
            )
        checked = await m.check_question(
            gid,
            question=record.question,
            answers=record.answers,
            film=record.film,
            kind=record.kind if "kind" in record.model_fields_set else None,
            source=record.sources,
            spoiler=record.spoiler,
            category=record.category,
        )
        return checked.model_copy(
            update={"difficulty": record.difficulty, "distractors": record.distractors}
        )

    def _same_in_file(self, record: GuildRecord) -> GuildRecord | None:
        pool = [r for r, _ in self.planned if type(r) is type(record)]
        return find_duplicate(_text(record), pool, _text)

    async def _place(self, kind: RecordKind, record: GuildRecord) -> tuple[str, bool] | str:
        """(id, needs a new id), or the reason to skip: an id is kept when it is free."""
        if record.id == PENDING_ID:
            return record.id, True
        stored = await self.moderation.store.get_record(kind, record.id)
        if stored is None and all(r.id != record.id for r, new in self.planned if not new):
            return record.id, False
        if stored is not None and stored.guild_id == self.guild_id:
            state = " (removed)" if stored.deleted else ""
            if stored.record == record:
                return f"already here with the same content{state}"
            return f"id {record.id} is already used here by a different {kind}{state}"
        return record.id, True

    async def add(self, kind: RecordKind, raw: Any, label: str | None = None) -> None:
        label = label or _label(kind, raw)
        if not isinstance(raw, dict):
            self.report.skipped.append(f"{label}: not a record (expected key: value pairs)")
            return
        try:
            fields = {"id": PENDING_ID, **raw, "guild_id": self.guild_id}
            record = MODELS[kind].model_validate(fields)
            checked = await self._check(record)
        except ValidationError as exc:
            self.report.skipped.append(f"{label}: {_validation_reason(exc)}")
            return
        except UserFacingError as exc:
            self.report.skipped.append(f"{label}: {exc.message}")
            return
        same = self._same_in_file(checked)
        if same is not None:
            self.report.skipped.append(f"{label}: same as {_text(same)[:60]!r} earlier in the file")
            return
        place = await self._place(kind, record)
        if isinstance(place, str):
            self.report.skipped.append(f"{label}: {place}")
            return
        ident, new_id = place
        self.planned.append((checked.model_copy(update={"id": ident}), new_id))

    async def commit(self, hidden: Sequence[Any] = ()) -> ImportReport:
        to_hide = self._plan_hidden(hidden)
        stored = await self.moderation.store.import_guild_records(
            self.guild_id,
            self.planned,
            to_hide,
            actor_id=self.actor_id,
            at=self.moderation.clock(),
        )
        for (planned, new_id), record in zip(self.planned, stored, strict=True):
            kind = "trivia question" if isinstance(record, Question) else type(record).__name__
            renamed = new_id and planned.id != PENDING_ID
            was = f" (was {planned.id}: that id is taken)" if renamed else ""
            self.report.imported.append(f"{kind.lower()} {record.id}{was}: {_text(record)[:60]}")
        self.report.imported.extend(f"hide curated fact {fid}" for fid in to_hide)
        await self.moderation.load_hidden()
        return self.report

    def _plan_hidden(self, hidden: Sequence[Any]) -> list[str]:
        already = self.moderation.services.hidden.get(self.guild_id, set())
        to_hide: list[str] = []
        for value in hidden:
            fid = str(value).strip()
            if fid not in self.moderation.library.facts:
                self.report.skipped.append(f"hide {shown(fid, 40)}: no such curated fact")
            elif fid in already or fid in to_hide:
                self.report.skipped.append(f"hide {fid}: already hidden")
            else:
                to_hide.append(fid)
        return to_hide


def _text(record: GuildRecord) -> str:
    return record.question if isinstance(record, Question) else record.text


async def import_export(
    moderation: Moderation, guild_id: int, data: Any, *, actor_id: int = CLI_ACTOR
) -> ImportReport:
    """Import a BakerBot export (or a data/ file's list of records) into one server."""
    records, hidden = split_export(data)
    importer = Importer(moderation, guild_id, actor_id)
    for kind, raw in records:
        await importer.add(kind, raw)
    return await importer.commit(hidden)


def red_answers(value: Any) -> list[str] | None:
    """Answers as Red reads them: booleans stand for their spellings; None if not a list."""
    if not isinstance(value, list):
        return None
    answers: list[str] = []
    for item in value:
        if isinstance(item, bool):
            answers.extend(["True", "Yes", "On"] if item else ["False", "No", "Off"])
        elif item is not None:
            answers.append(str(item))
    return list(dict.fromkeys(answers))


def list_category(name: str) -> str:
    """A trivia category from a list's file name (``movies.yaml`` -> ``movies``)."""
    return _SLUG_CHARS.sub("-", Path(name).stem.lower()).strip("-") or "imported"


async def import_red(
    moderation: Moderation,
    guild_id: int,
    data: Any,
    *,
    name: str = "trivia",
    actor_id: int = CLI_ACTOR,
) -> ImportReport:
    """Import a Red-DiscordBot trivia list (AUTHOR, CONFIG, then question: [answers])."""
    if not isinstance(data, dict):
        raise TransferError("a Red trivia list is a mapping of question: [answers]")
    importer = Importer(moderation, guild_id, actor_id)
    author = data.get("AUTHOR")
    if author:
        importer.report.notes.append(f"Red trivia list {name!r} by {author}")
    if "CONFIG" in data:
        importer.report.notes.append("CONFIG settings are Red's own and were not imported")
    category = list_category(name)
    questions = [(q, v) for q, v in data.items() if q not in RED_RESERVED]
    for number, (question, value) in enumerate(questions, start=1):
        label = f"question {number} {str(question)[:50]!r}"
        answers = red_answers(value)
        if answers is None:
            importer.report.skipped.append(f"{label}: the answers must be a list")
            continue
        if not answers:
            importer.report.skipped.append(f"{label}: no answers given")
            continue
        raw = {
            "question": str(question),
            "answers": answers,
            "category": category,
            "sources": [SERVER_SOURCE],
        }
        await importer.add("question", raw, label)
    return await importer.commit()


async def run_export(settings: Settings, guild_id: int, out: Path | None) -> int:
    """``bakerbot export``: print the YAML, or write it to ``out``."""
    from bot.services import create_services

    services = await create_services(settings)
    try:
        text = export_yaml(await export_guild(services.store, guild_id), guild_id)
    finally:
        await services.close()
    if out is None:
        print(text, end="")
    else:
        await asyncio.to_thread(out.write_text, text, encoding="utf-8")
        print(f"exported server {guild_id} to {out}")
    return 0


async def run_import(settings: Settings, guild_id: int, path: Path, red: bool) -> int:
    """``bakerbot import``: import a file and print the report; 1 when it cannot be read."""
    from bot.moderation.service import get_moderation
    from bot.services import create_services

    try:
        data = await asyncio.to_thread(read_yaml, path)
    except TransferError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    services = await create_services(settings)
    try:
        moderation = get_moderation(services)
        await moderation.load_hidden()
        if red:
            report = await import_red(moderation, guild_id, data, name=path.name)
        else:
            report = await import_export(moderation, guild_id, data)
    except TransferError as exc:
        print(f"error: {exc}\nNothing was imported.", file=sys.stderr)
        return 1
    finally:
        await services.close()
    print("\n".join(report.lines()))
    return 0

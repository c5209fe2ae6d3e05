"""The question answerer: catalog in, ``Answer`` out.

``Asker.build(library)`` reads every fact and record into statements once. Each
question is parsed, candidate statements are gathered through an inverted index
(ideas and entities) plus the store's full-text search (which also brings the guild's
own facts), scored (``rank``), and the best is turned into one or two sentences
(``compose``). Below ``CONFIDENCE_THRESHOLD`` the answer is "I don't know".
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bot.ask import compose, large
from bot.ask.context import Context, resolve
from bot.ask.knowledge import fact_statement, statistics
from bot.ask.lexicon import GENERIC_WORDS, STOPWORDS
from bot.ask.linker import Entity, Gazetteer, build_gazetteer
from bot.ask.parse import Query, Term, clean, parse
from bot.ask.rank import Prepared, Scored, Weights, plausible, prepare, score
from bot.ask.records import Records
from bot.ask.statements import (
    Statement,
    content_concepts,
    read_words_possessive,
)
from bot.ask.textindex import TextIndex, Unit
from bot.ask.typos import TypoIndex
from bot.library import Library
from bot.models import Fact
from bot.search import SearchIndex
from bot.store import FactHit

log = logging.getLogger(__name__)

#: Below this score the answer is "I don't know" (scores run from 0 to about 1.1).
CONFIDENCE_THRESHOLD = 0.62
#: Yes and no are strong claims: a statement must cover the question better.
YESNO_THRESHOLD = 0.72
#: A second statement is added when it scores at least this share of the best.
SECOND_SHARE = 0.93
#: Two different answers this close are both given ("who plays Ivan's parents").
TIE_SHARE = 0.97
#: "Who is X?" gets a second sentence about X when one scores this share of the best.
DESCRIBE_SHARE = 0.8
#: For questions asking for several things ("influences", "parents"), list up to this many.
MAX_LIST = 6
#: Longest question read, in characters; the rest is ignored.
MAX_QUESTION_CHARS = 500
#: A curated statement this good, stating this much of what is asked, needs no full-text
#: search: a guild's fact could at best tie with it (and ties go to the curated record).
SETTLED_SCORE = 0.95
SETTLED_COVERAGE = 0.75
#: Statements whose cover and entities alone stay under this are not scored further:
#: with the largest bonuses they would still fall short of the threshold.
PRUNE_BELOW = 0.45
#: Only this many of the best are re-ranked by string similarity and full-text rank.
RERANK_TOP = 12
#: Suggestion lists kept (one per set of recognised entities).
SUGGESTION_CACHE = 1024
#: Shortest unknown word read as a typo of a catalog word, and the length for two typos.
TYPO_MIN_CHARS = 6
TWO_TYPOS_MIN_CHARS = 10
#: Facts asked of the full-text index per question.
FTS_LIMIT = 30
#: A word in more free-text records than this finds no candidates on its own (a question
#: naming nothing is matched through its rarer words; common ones only weigh).
MAX_TERM_POSTINGS = 5_000
#: Records read for a question naming no entity, those sharing the most of it first.
MAX_SHARING = 150
#: An entity name shared by more than this many entities ("Ana": a character in many
#: films) is looked up through the question's other names only, when it has any.
MAX_GROUP = 12
#: Guild facts kept read.
GUILD_CACHE = 4096

FactFilter = Callable[[Iterable[Fact]], list[Fact]]
Search = Callable[[str], Awaitable[Sequence[FactHit]]]


@dataclass(frozen=True)
class Answer:
    """What the bot says to a question."""

    question: str
    text: str
    known: bool
    confidence: float = 0.0
    facts: tuple[Fact, ...] = ()
    sources: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    spoiler: bool = False
    short: str | None = None
    entities: tuple[Entity, ...] = ()
    statements: tuple[str, ...] = field(default=(), repr=False)
    query: Query | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Scoring:
    """One question's in-memory candidates, scored."""

    prepared: Prepared
    scored: list[Scored]


@dataclass
class Asker:
    """Indexes over one library; statements are read per question and cached."""

    library: Library
    gazetteer: Gazetteer
    records: Records
    weights: Weights
    vocabulary: list[str] = field(default_factory=list)
    _typos: TypoIndex = field(default_factory=TypoIndex)
    #: Words too common to search the full-text index by (large catalogs only).
    common: frozenset[str] = frozenset()
    _guild_cache: dict[tuple[str, str], Statement] = field(default_factory=dict)
    _suggestion_cache: dict[tuple[tuple[str, str], ...], tuple[str, ...]] = field(
        default_factory=dict
    )

    @classmethod
    def build(cls, library: Library, index: SearchIndex | None = None) -> Asker:
        """Index the words and names once; statements wait until a question needs them.

        A large store-backed catalog is indexed only in part (see ``large``); its other
        titles and names are found through ``index``, when given.
        """
        if large.is_large(library):
            words = library.fact_words()
            gaz = large.core_gazetteer(library, words)
            gaz.fallback = large.index_names(index) if index is not None else None
            records = Records(library, gaz, None)
            stats = statistics(records.units(), records.count(), records.statements, words)
            gaz.vocabulary.update(stats.vocabulary)
            common = frozenset(library.fact_words(MAX_TERM_POSTINGS))
        else:
            common = frozenset()
            text = TextIndex.build(library)
            gaz = build_gazetteer(library, text.vocabulary)
            records = Records(library, gaz, text)
            stats = statistics(
                records.units(), records.count(), records.statements, text.vocabulary
            )
        return cls(
            library,
            gaz,
            records,
            stats.weights,
            stats.vocabulary,
            TypoIndex(stats.vocabulary),
            common=common,
        )

    @property
    def director_films(self) -> frozenset[str]:
        return self.records.director_films

    # -- asking ------------------------------------------------------------------------

    def parse(self, question: str, context: Context | None = None) -> Query:
        query = parse(question[:MAX_QUESTION_CHARS], self.gazetteer)
        query.terms = [self._correct(t) for t in query.terms]
        return resolve(query, context, self.gazetteer)

    def answer(
        self,
        question: str,
        *,
        context: Context | None = None,
        hits: Sequence[FactHit] = (),
        allow: FactFilter | None = None,
        suggest: bool = True,
    ) -> Answer:
        """Answer from the in-memory statements plus ``hits`` (full-text, guild facts)."""
        query = self.parse(question, context)
        early = _early(question, query)
        if early is not None:
            return early
        return self._finish(question, self._score_memory(query, allow), hits, allow, suggest)

    async def ask(
        self,
        question: str,
        *,
        search: Search | None = None,
        context: Context | None = None,
        allow: FactFilter | None = None,
    ) -> Answer:
        """``answer``, with full-text hits from ``search`` (which brings the guild's facts).

        The search is skipped when a curated statement already answers the question
        about as well as answers go (see ``_settled``).
        """
        query = self.parse(question, context)
        early = _early(question, query)
        if early is not None:
            return early
        scoring = self._score_memory(query, allow)
        hits: list[FactHit] = []
        text = _search_text(question, query, self.common)
        if search is not None and text.strip() and not _settled(scoring.scored):
            hits = list(await search(text))
        return self._finish(question, scoring, hits, allow, True)

    def rank(
        self, query: Query, hits: Sequence[FactHit] = (), allow: FactFilter | None = None
    ) -> list[Scored]:
        """Every candidate statement, best first."""
        return self._merge(self._score_memory(query, allow), hits, allow)

    def _finish(
        self,
        question: str,
        scoring: Scoring,
        hits: Sequence[FactHit],
        allow: FactFilter | None,
        suggest: bool,
    ) -> Answer:
        query = scoring.prepared.query
        ranked = self._merge(scoring, hits, allow)
        best = ranked[0] if ranked else None
        threshold = YESNO_THRESHOLD if query.qtype == "yesno" else CONFIDENCE_THRESHOLD
        if best is None or best.score < threshold or _too_thin(query, best):
            suggestions = self.suggestions(query) if suggest else ()
            return compose.unknown(question, query, suggestions, best.score if best else 0.0)
        chosen = self._chosen(query, ranked)
        return compose.known(question, query, chosen, self.library)

    def _score_memory(self, query: Query, allow: FactFilter | None) -> Scoring:
        """Score the statements about what the question names (or shares words with)."""
        prepared = prepare(query, self.weights, self.director_films)
        candidates = _visible(self._candidates(query, prepared), allow)
        return Scoring(prepared, _score_all(prepared, candidates))

    def _candidates(self, query: Query, prepared: Prepared) -> list[Statement]:
        """Statements that could score: about a named entity, else sharing an idea.

        With entities named, a statement involving none of them scores nothing (see
        ``rank._entities``); without, the free-text postings find those that state
        one of the question's ideas.
        """
        units: dict[Unit, None] = {}
        groups = _named_groups(query)
        if groups:
            for group in groups:
                for entity in group:
                    units.update(dict.fromkeys(self.records.about(entity)))
        elif self.records.text is not None:
            units.update(dict.fromkeys(self._sharing_ideas(prepared)))
        found = list(units)
        if self.records.text is None:
            concepts = {t.concept for t in query.terms} | {t.word for t in query.terms}
            own = {e.person or e.id for group in groups for e in group}
            found = self.records.pick(found, concepts, own)
        return [s for unit in found for s in self.records.statements(unit)]

    def _sharing_ideas(self, prepared: Prepared) -> list[Unit]:
        """The records whose words state the most (by weight) of the question's ideas.

        Reading a statement costs far more than counting postings, so only the
        ``MAX_SHARING`` records stating the most are read.
        """
        text = self.records.text
        found: dict[int, float] = {}
        for term in prepared.terms:
            if text.size(term.concept, term.word) > MAX_TERM_POSTINGS:
                continue
            for doc in text.with_idea(term.concept, term.word):
                found[doc] = found.get(doc, 0.0) + term.weight
        best = sorted(found, key=lambda d: (-found[d], d))[:MAX_SHARING]
        return list(text.units(best))

    def _merge(
        self, scoring: Scoring, hits: Sequence[FactHit], allow: FactFilter | None
    ) -> list[Scored]:
        """Add the facts found by full-text search, then order everything."""
        prepared = scoring.prepared
        # Curated facts were considered already, through what the question names (or,
        # in a large catalog, some of them: there the others come in through ``hits``).
        if self.records.text is None:
            groups = _named_groups(prepared.query)
            fresh = large.fresh_hits(hits, scoring.scored, [e for g in groups for e in g])
            extra = [self._hit_statement(h.fact) for h in fresh]
        else:
            extra = [
                self._hit_statement(h.fact)
                for h in hits
                if not (h.fact.guild_id is None and h.fact.id in self.library.facts)
            ]
        ranked = scoring.scored + _score_all(prepared, _visible(extra, allow))
        ranked.sort(key=lambda s: (-s.score, s.statement.key))
        _rerank(prepared.query, ranked[:RERANK_TOP], hits)
        ranked.sort(key=lambda s: (-s.score, s.statement.key))
        return ranked

    def _hit_statement(self, fact: Fact) -> Statement:
        """A guild's own fact, read now (and kept a while)."""
        key = (fact.id, fact.text)
        stmt = self._guild_cache.get(key)
        if stmt is None:
            if len(self._guild_cache) > GUILD_CACHE:
                self._guild_cache.clear()
            film = self.library.films.get(fact.film or "")
            stmt = fact_statement(self.gazetteer, fact, film.year if film else None)
            self._guild_cache[key] = stmt
        return stmt

    def _chosen(self, query: Query, ranked: list[Scored]) -> list[Scored]:
        """The best statement, plus a close second or a list for plural questions."""
        best = ranked[0]
        if best.statement.kind == "summary":
            return [best]  # everyone in the role already
        close = [s for s in ranked[1:] if s.score >= best.score * SECOND_SHARE]
        if query.qtype == "describe":
            about = {e.id for e in query.entities}
            for second in ranked[1:4]:
                if second.score < best.score * DESCRIBE_SHARE:
                    break
                if second.statement.kind != "summary" and about & second.statement.tagged:
                    return [best, second]
            return [best]
        if compose.wants_list(query):
            same = [s for s in close if s.span is not None and best.span is not None]
            return [best, *[s for s in same if s.span.kind == best.span.kind][: MAX_LIST - 1]]
        for other in close:
            if other.statement.kind != "summary" and _different(best, other):
                return [best, other]
        if query.qtype in ("other", "reason", "manner") and len(ranked) > 1:
            second = ranked[1]
            if second.score >= best.score * TIE_SHARE and _adds(query, best, second):
                return [best, second]  # "what is it based on": both sources of it
        return [best]

    def _correct(self, term: Term) -> Term:
        """A word the catalog never uses may be a typo of one it does.

        Strict, since a real word one letter from a catalog word ("score", "store") is
        no typo: one edit from six letters, two from ten.
        """
        if term.concept in self.weights.idf or len(term.word) < TYPO_MIN_CHARS:
            return term
        if not term.word.isalpha() or term.word in GENERIC_WORDS:
            return term
        hits = self._typos.within(term.word, 1 if len(term.word) < TWO_TYPOS_MIN_CHARS else 2)
        if not hits:
            return term
        word = self.vocabulary[hits[0][0]]
        concepts = content_concepts([word])
        return Term(word, next(iter(concepts)), term.light) if concepts else term

    def suggestions(self, query: Query) -> tuple[str, ...]:
        """Two or three questions about what was recognised that this bot can answer.

        Each is checked by answering it (from the curated data, so the result depends
        only on the entities and is kept).
        """
        key = tuple((e.kind, e.id) for e in query.entities)
        cached = self._suggestion_cache.get(key)
        if cached is not None:
            return cached
        found: list[str] = []
        for candidate in compose.suggestion_candidates(query.entities, self.library):
            answer = self.answer(candidate, suggest=False)
            if answer.known and candidate not in found:
                found.append(candidate)
            if len(found) >= 3:
                break
        if len(self._suggestion_cache) >= SUGGESTION_CACHE:
            self._suggestion_cache.clear()
        self._suggestion_cache[key] = tuple(found)
        return tuple(found)


def _early(question: str, query: Query) -> Answer | None:
    """Questions answered before any search: nothing asked, or nothing we could know."""
    if not query.words:
        return compose.empty(question)
    if query.out_of_scope:
        return compose.unknown(question, query, (), 0.0)
    return None


def _search_text(question: str, query: Query, common: frozenset[str] = frozenset()) -> str:
    """Words for the full-text index: the question's own words, not merged phrases.

    Words in very many facts (``common``) are left out: ranking all their facts costs
    a hundred milliseconds at 100k, and they barely move the ranking.
    """
    words = read_words_possessive(clean(question[:MAX_QUESTION_CHARS]))[0]
    kept = [w for w in words if w not in STOPWORDS and len(w) > 1]
    kept += [e.label for e in query.entities]
    if common:
        kept = [w for w in " ".join(kept).split() if w.lower() not in common]
    return " ".join(dict.fromkeys(kept))


def _settled(scored: list[Scored]) -> bool:
    """A curated statement states (nearly) all the question asks and scores near the top."""
    return any(s.coverage >= SETTLED_COVERAGE and s.score >= SETTLED_SCORE for s in scored)


def _visible(stmts: list[Statement], allow: FactFilter | None) -> list[Statement]:
    """Drop facts the guild may not see (hidden curated facts, other guilds' facts)."""
    if allow is None:
        return stmts
    visible = {id(f) for f in allow([s.fact for s in stmts if s.fact is not None])}
    return [s for s in stmts if s.fact is None or id(s.fact) in visible]


def _score_all(prepared: Prepared, candidates: list[Statement]) -> list[Scored]:
    """Fully score only the statements that could reach the threshold."""
    bounds = [(plausible(prepared, s), s) for s in candidates]
    scored = [score(prepared, s) for bound, s in bounds if bound >= PRUNE_BELOW]
    if not scored and bounds:
        scored = [score(prepared, max(bounds, key=lambda pair: pair[0])[1])]
    return scored


def _too_thin(query: Query, best: Scored) -> bool:
    """A question naming nothing we know and asking one thing ("tell me a joke")."""
    if query.entities:
        return False
    content = [t for t in query.terms if not t.light and not t.word.isdigit()]
    words = set(best.statement.words)
    matched = [t for t in content if t.concept in best.statement.concepts or t.word in words]
    return len(matched) < 2


def _different(a: Scored, b: Scored) -> bool:
    """A second statement worth adding: as good, another answer, no new spoiler."""
    if a.span is None or b.span is None or (b.statement.spoiler and not a.statement.spoiler):
        return False
    if a.statement.kind != b.statement.kind or a.statement.kind not in ("credit", "award"):
        return False
    return (
        a.span.kind == b.span.kind
        and a.span.key != b.span.key
        and b.score >= a.score * TIE_SHARE
        and b.coverage >= a.coverage
    )


def _adds(query: Query, a: Scored, b: Scored) -> bool:
    """A second fact for an open question: as complete, about the same thing, no new spoiler."""
    if b.statement.spoiler and not a.statement.spoiler:
        return False
    about = {e.id for e in query.entities}
    return (
        b.coverage >= a.coverage
        and b.statement.kind == a.statement.kind == "fact"
        and bool(about)
        and about <= a.statement.tagged
        and about <= b.statement.tagged
    )


def _rerank(query: Query, scored: list[Scored], hits: Sequence[FactHit]) -> None:
    """Full-text rank and string similarity as small tie-breakers."""
    rank = {h.fact.id: i for i, h in enumerate(hits)}
    content = " ".join(t.word for t in query.terms)
    for s in scored:
        bonus = 0.0
        fact = s.statement.fact
        if fact is not None and fact.id in rank:
            bonus += 0.01 * (1 - rank[fact.id] / max(len(hits), 1))
        if content:
            bonus += 0.01 * fuzz.token_set_ratio(content, " ".join(s.statement.words)) / 100
        s.score += bonus * min(1.0, s.score * 1.5)


def _named_groups(query: Query) -> list[list[Entity]]:
    """The entities each phrase names (those set aside excluded), as ``rank`` groups them.

    A phrase naming very many entities is left to the others: a statement about only
    one of its entities and none of the rest could not score as an answer.
    """
    groups: dict[tuple[int, int], list[Entity]] = {}
    for m in query.mentions:
        if m.entity.id not in query.excluded:
            groups.setdefault((m.start, m.end), []).append(m.entity)
    found = list(groups.values())
    narrow = [g for g in found if len(g) <= MAX_GROUP]
    return narrow or [g[:MAX_GROUP] for g in found]

"""The attribution context of one article: the parse, the quotations, the candidate speakers (actor
mentions and names NER finds), the cues the codebook matches, and the speakers found so far."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cached_property

from spacy.tokens import Doc, Span, Token

from flows.extract.actors.titles import RoleWords, WrittenRoles
from flows.extract.quotes.codebook import Codebook, CueMatch, match_cues
from flows.extract.quotes.marks import QuoteSpan
from flows.records import Actor, Article, Mention

CONFIDENCE = {
    "explicit": 0.9,
    "explicit_loose": 0.75,
    "pronoun": 0.7,
    "descriptor": 0.65,
    "previous_sentence": 0.55,
    "unattributed": 0.2,
}
NO_ACTOR_PENALTY = 0.1


@dataclass
class Speaker:
    """Who said a quote, what kind of speaker it is, how we know, and how sure we are."""

    actor_ids: list[str]
    names: list[str]
    role: str | None
    attribution: str
    cue: str | None
    cue_token: Token | None
    confidence: float
    is_person: bool | None
    position: int = 0
    kind: str | None = None  # person | institution | document | anonymous (None: decided from is_person)
    country_iso3: str | None = None
    rule_ids: list[str] = field(default_factory=list)

    @property
    def actor_id(self) -> str | None:
        return self.actor_ids[0] if self.actor_ids else None

    @property
    def name(self) -> str | None:
        return " and ".join(self.names) if self.names else None


@dataclass(frozen=True)
class Candidate:
    """A span that can stand for a speaker: an actor mention, or a name NER finds that no mention covers."""

    char_start: int
    char_end: int
    actor_id: str | None
    name: str
    is_person: bool | None
    text: str = ""  # as written
    kind: str | None = None  # the actor's kind, or 'anonymous' for a source described but not named
    country: str | None = None


def span_tokens(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def folded(text: str) -> str:
    """Without diacritics: 'Lourenço' and 'Lourenco', 'Vučić' and 'Vucic' are one spelling."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def surname_matches(full_name: str, word: str) -> bool:
    """'Burhan' is the surname of 'Abdel Fattah al-Burhan', 'Patel' of 'Vedant Patel' ('Vucic' of
    'Aleksandar Vučić')."""
    last, word = folded(full_name.split()[-1]), folded(word)
    return last == word or last.endswith("-" + word)


def speaker_key(candidate: Candidate) -> str:
    """Mentions of one speaker share this: the actor id, else the name as written."""
    return candidate.actor_id or f"name:{candidate.name}"


def with_full_names(candidates: list[Candidate]) -> list[Candidate]:
    """A bare surname ('Patel', 'Vucic') takes the full name given earlier in the article ('Vedant Patel'),
    or later when the article names the person in full only after a headline ('Aleksandar Vučić')."""
    full = [c for c in candidates if c.is_person and len(c.name.split()) > 1]
    result: list[Candidate] = []
    for candidate in candidates:
        words = candidate.name.split()
        if len(words) == 1 and candidate.kind != "anonymous" and (candidate.actor_id is None or candidate.is_person):
            earlier = [c for c in full if c.char_start < candidate.char_start]
            later = [c for c in full if c.char_start > candidate.char_start]
            match = next((c for c in reversed(earlier) if surname_matches(c.name, words[0])), None)
            if candidate.actor_id is None:
                match = match or next((c for c in reversed(earlier) if c.name.split()[0] == words[0]), None)
            match = match or next((c for c in later if surname_matches(c.name, words[0])), None)
            if match is not None:
                candidate = replace(candidate, actor_id=match.actor_id, name=match.name, is_person=True,
                                    kind=match.kind, country=match.country)
        result.append(candidate)
    return result


def levels_at(bounds: list[tuple[int, int, int]], offsets: list[int]) -> list[int]:
    """How many quotations hold each of these characters (offsets in ascending order): one sweep over the
    quotations (start, end, depth), sorted by start, instead of a scan of them for every token."""
    levels: list[int] = []
    open_spans: list[tuple[int, int]] = []  # (end, depth) of the quotations begun at or before the offset
    following = 0
    for char in offsets:
        while following < len(bounds) and bounds[following][0] <= char:
            open_spans.append((bounds[following][1], bounds[following][2]))
            following += 1
        open_spans = [(end, depth) for end, depth in open_spans if end > char]
        levels.append(max((depth for _end, depth in open_spans), default=0))
    return levels


class ArticleContext:
    """The parse, the mentions and the codebook of one article, with the lookups attribution needs.

    `level` is the nesting depth of the quotation being attributed: words inside quotations deeper than
    it are quoted speech, words at or above it are the narrative that may name its speaker.
    """

    def __init__(self, doc: Doc, article: Article, mentions: list[Mention], actors: dict[str, Actor],
                 codebook: Codebook, spans: list[QuoteSpan]) -> None:
        self.doc = doc
        self.article = article
        self.actors = actors
        self.codebook = codebook
        self.spans = spans
        self.level = 0
        self.bounds = sorted((s.open_at, s.close_at + s.close_len, s.depth + 1) for s in spans)
        self.token_level = levels_at(self.bounds, [t.idx for t in doc])
        self.cues: dict[int, CueMatch] = match_cues(doc, codebook)
        self.date_mentions = [m for m in mentions if m.kind == "date" and m.value]
        self.places = [(m.char_start, m.char_end) for m in mentions if m.kind == "place"]
        self.candidates = self.build_candidates([m for m in mentions if m.kind == "actor" and m.value])
        self.person_tokens = {t.i for c in self.candidates if c.is_person
                              for t in doc.char_span(c.char_start, c.char_end, alignment_mode="expand") or []}
        self.roles: dict[Candidate, str | None] = {}
        self.actor_roles: dict[str, str | None] = {}
        self.speakers: list[Speaker] = []

    def level_at(self, char: int) -> int:
        """How many quotations hold this character."""
        index = bisect.bisect_right(self.bounds, (char, len(self.article.text) + 1, 0))
        return max((depth for start, end, depth in self.bounds[:index] if start <= char < end), default=0)

    def in_quotes(self, char: int) -> bool:
        """Not in the narrative of the quotation being attributed: inside quoted speech, or (for a quotation
        inside a quotation) outside the quotation that holds it."""
        return self.level_at(char) != self.level

    def is_quoted(self, token: Token) -> bool:
        """Not part of the narrative at the level of the quotation being attributed."""
        return self.token_level[token.i] != self.level

    def build_candidates(self, actor_mentions: list[Mention]) -> list[Candidate]:
        """Actor mentions, plus names NER finds that no actor or place mention covers (unknown names still
        work; a village or a town the places stage located never speaks)."""
        result = [self.mention_candidate(m) for m in actor_mentions]
        places = [Candidate(start, end, None, "", None) for start, end in self.places]
        labels = self.codebook.words["speaker_entities"]
        for found in self.doc.ents:
            ent = self.with_given_names(found)
            if ent.label_ not in labels or self.is_role_word(ent.root):
                continue
            if ent.root.dep_ == "compound" and self.is_role_word(ent.root.head):
                continue
            if any(c.char_start < ent.end_char and ent.start_char < c.char_end for c in result + places):
                continue
            name = re.sub(r"^(the|The)\s+", "", ent.text)
            is_person = self.ent_is_person(ent)
            result.append(Candidate(ent.start_char, ent.end_char, None, name, is_person, ent.text,
                                    "person" if is_person else None))
        return with_full_names(sorted(result, key=lambda c: (c.char_start, c.char_end)))

    def with_given_names(self, ent: Span) -> Span:
        """The entity with the proper nouns the tagger left out before it ('Espérance' of 'Espérance
        Mugisha' when only the surname was tagged)."""
        start = ent.start
        while start > 0 and self.doc[start - 1].pos_ == "PROPN" and self.doc[start - 1].dep_ == "compound" \
                and ent.start <= self.doc[start - 1].head.i < ent.end and not self.is_role_word(self.doc[start - 1]):
            start -= 1
        return ent if start == ent.start else Span(self.doc, start, ent.end, label=ent.label_)

    def ent_is_person(self, ent: Span) -> bool:
        """NER's PERSON, or a name standing right after or in apposition to a role word."""
        if ent.label_ == "PERSON":
            return True
        before = self.doc[ent.start - 1] if ent.start else None
        titled = before is not None and self.is_role_word(before) and before.dep_ == "compound"
        apposed = (ent.root.dep_ == "appos" and self.is_role_word(ent.root.head)) or any(
            c.dep_ == "appos" and self.is_role_word(c) for c in ent.root.children)
        return len(ent) > 1 and (titled or apposed)

    def mention_candidate(self, mention: Mention) -> Candidate:
        actor = self.actors.get(mention.value or "")
        return Candidate(mention.char_start, mention.char_end, mention.value, self.actor_name(mention),
                         self.mention_is_person(mention), mention.text, actor.kind if actor else None,
                         actor.country_iso3 if actor else None)

    def add_candidates(self, extra: list[Candidate]) -> None:
        self.candidates = sorted(self.candidates + extra, key=lambda c: (c.char_start, c.char_end))

    def actor_name(self, mention: Mention) -> str:
        actor = self.actors.get(mention.value or "")
        return actor.name if actor else mention.text

    def mention_is_person(self, mention: Mention) -> bool | None:
        actor = self.actors.get(mention.value or "")
        if actor is not None:
            return actor.kind == "person"
        if mention.is_metonym:
            return False
        span = self.doc.char_span(mention.char_start, mention.char_end, alignment_mode="expand")
        if span is not None and any(e.label_ == "PERSON" for e in span.ents):
            return True
        return None

    def is_role_word(self, token: Token) -> bool:
        return self.role_words.is_role_word(token)

    @cached_property
    def role_words(self) -> RoleWords:
        words = self.codebook.words
        return RoleWords(self.codebook.role_nouns, words["role_connectors"], words["portfolio_joiners"])

    @cached_property
    def written_roles(self) -> WrittenRoles:
        """The shared reader of roles as written, over this article's narrative."""
        return WrittenRoles(self.doc, self.role_words, self.is_quoted, self.person_tokens)

    def cue_match(self, token: Token) -> CueMatch | None:
        """The codebook cue starting at a token of the narrative, else None."""
        if self.is_quoted(token):
            return None
        return self.cues.get(token.i)

    def cue_of(self, token: Token | None) -> str | None:
        """The cue text when a token starts a speech cue, else None."""
        if token is None:
            return None
        match = self.cue_match(token)
        return match.text if match is not None else None

    def candidates_in(self, start: int, end: int) -> list[Candidate]:
        return [c for c in self.candidates if c.char_start < end and start < c.char_end]

    def sentence_index(self, token: Token) -> tuple[list[Span], int]:
        sents = list(self.doc.sents)
        return sents, next(i for i, s in enumerate(sents) if s.start <= token.i < s.end)

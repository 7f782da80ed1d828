"""Quotes: find quotations in an article, attribute each to a speaker, and cluster them across articles.

Detection is a pure character scan (`find_quote_spans`) so it can be tested without spaCy; attribution
uses the dependency parse: the speech cue governing the quote, its subject, the actor mention under that
subject. Cue verbs, descriptors and role nouns come from the codebook `schemas/cue_verbs.yaml`.

A quotation running over several paragraphs (the news convention: no closing mark at the end of a
paragraph, an opening mark at the start of the next) gives one row per paragraph, all with the speaker
found for the quotation as a whole, so each row's text is an exact slice of the article.
A joint speaker (a statement of two ministries) keeps the first actor as `speaker_actor_id` and lists
all names in `speaker_name`, joined by ' and '.

Detection rules: curly marks open and close by their shape; a straight mark opens after a space and
before a word and closes after a word. A quotation ends in its paragraph or goes on in the next one
only when that paragraph starts with an opening mark; otherwise, or past MAX_QUOTE_CHARS, the opening
mark is given up. Single quotes are nested text, never quotations. A quote in title case right after
'the', 'so-called', 'known as' (codebook `title_markers`) names something and is dropped; a quote of one
to three capitalised words with no speaker is dropped too; other quotes with no speaker are kept as
`unattributed`.

Attribution, in order, with the confidence each gives (lowered by 0.1 when no actor id is found):
explicit, the cue governs the quote in the parse (0.9); explicit from the nearest cue of the sentence or
'Name: "..."' (0.75); pronoun (0.7); descriptor (0.65); previous or following sentence (0.55);
unattributed (0.2). When the parser ran a sentence over a line break (a headline without a full stop),
the article is parsed again with a sentence break at every line break.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.tokens import Doc, Span, Token

from flows.extract.dateline import dateline_at
from flows.extract.grammar import ANY_SUBJECT
from flows.ids import make_id
from flows.records import Actor, Article, Mention, Quote
from schemas import REFERENCE_DIR

CODEBOOK_PATH = REFERENCE_DIR / "cue_verbs.yaml"

OPENERS = "“„«"
CLOSERS = "”»"
STRAIGHT = '"'
OPEN_CONTEXT = "([{—–-/"
CLOSE_CONTEXT = ".,;:!?)]}—–-'’"
MAX_QUOTE_CHARS = 1500
MAX_CONTINUED_PARAGRAPHS = 12
TITLE_MAX_WORDS = 3

CONFIDENCE = {
    "explicit": 0.9,
    "explicit_loose": 0.75,
    "pronoun": 0.7,
    "descriptor": 0.65,
    "previous_sentence": 0.55,
    "unattributed": 0.2,
}
NO_ACTOR_PENALTY = 0.1
CLIMB_DEPS = ("conj", "advcl", "xcomp", "acl", "ccomp", "dobj", "pobj", "prep", "appos", "pcomp")
SPEAKER_SPAN_SKIP = ("relcl", "appos", "acl", "advcl", "punct", "cc")
ROLE_CONNECTORS = ("of", "for", "'s", "’s", "-")
PRONOUN_WINDOW_SENTENCES = 4
APPOSITION_MAX_TOKENS = 15
DATE_ATTACH_STEPS = 4  # 'said in an interview on Sunday': Sunday -> on -> interview -> in -> said
NER_SPEAKER_LABELS = ("PERSON", "ORG", "GPE")


# --------------------------------------------------------------------------------------------- codebook


@dataclass(frozen=True)
class CuePhrase:
    words: tuple[str, ...]
    speaker: str  # subject | object


@dataclass(frozen=True)
class Codebook:
    """The speech cues and speaker words of `schemas/cue_verbs.yaml`, indexed for lookup."""

    verbs: dict[str, str]  # lemma or surface form -> lemma
    phrases: tuple[CuePhrase, ...]
    person_descriptors: frozenset[str]
    institution_descriptors: frozenset[str]
    role_nouns: frozenset[str]
    person_pronouns: frozenset[str]
    institution_pronouns: frozenset[str]
    title_markers: tuple[str, ...]


@lru_cache(maxsize=4)
def load_codebook(path: Path = CODEBOOK_PATH) -> Codebook:
    """Read the cue codebook once; cue words are data, reviewed in `schemas/`, not code."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    verbs: dict[str, str] = {}
    for lemma, variants in data["cue_verbs"].items():
        verbs[lemma] = lemma
        for variant in variants or []:
            verbs[str(variant).lower()] = lemma
    phrases = tuple(
        CuePhrase(tuple(w.lower() for w in item["words"]), item.get("speaker", "subject"))
        for item in data.get("cue_phrases", [])
    )
    descriptors = data.get("descriptors", {})
    pronouns = data.get("pronouns", {})
    return Codebook(
        verbs=verbs,
        phrases=phrases,
        person_descriptors=frozenset(w.lower() for w in descriptors.get("person", [])),
        institution_descriptors=frozenset(w.lower() for w in descriptors.get("institution", [])),
        role_nouns=frozenset(w.lower() for w in data.get("role_nouns", [])),
        person_pronouns=frozenset(w.lower() for w in pronouns.get("person", [])),
        institution_pronouns=frozenset(w.lower() for w in pronouns.get("institution", [])),
        title_markers=tuple(w.lower() for w in data.get("title_markers", [])),
    )


# ------------------------------------------------------------------------------- quote spans (no spaCy)


@dataclass(frozen=True)
class QuoteSpan:
    """One quoted stretch of text: inner offsets (no marks) and where its marks are."""

    start: int
    end: int
    open_at: int
    close_at: int | None  # None: the quotation goes on in the next paragraph
    group: int  # the segments of one quotation over several paragraphs share a group
    paragraph_start: int


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line: news texts put one paragraph on a line."""
    bounds = []
    for match in re.finditer(r"[^\n]+", text):
        if match.group().strip():
            bounds.append((match.start(), match.end()))
    return bounds


def mark_role(text: str, i: int) -> str | None:
    """Whether the character at i opens, closes, may do either, or is no quote mark.

    Curly marks say it themselves; a straight mark opens after a space and before a word, and closes
    after a word and before a space or punctuation.
    """
    char = text[i]
    if char in OPENERS:
        return "open"
    if char in CLOSERS:
        return "close"
    if char != STRAIGHT:
        return None
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    after_space = prev.isspace() or prev in OPEN_CONTEXT
    if after_space and not nxt.isspace():
        return "open"
    if after_space:
        return None
    if nxt.isspace() or nxt in CLOSE_CONTEXT:
        return "close"
    return "either"


def starts_with_opener(text: str, start: int, end: int) -> bool:
    """True when a paragraph begins with an opening mark (the continuation of a quotation)."""
    stripped = start + len(text[start:end]) - len(text[start:end].lstrip())
    return stripped < end and mark_role(text, stripped) in ("open", "either")


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Inner offsets without surrounding spaces or the comma that leads back to the attribution."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Every balanced quotation in a text; an unbalanced mark is given up at the end of its paragraph."""
    spans: list[QuoteSpan] = []
    paragraphs = paragraph_bounds(text)
    pending: list[QuoteSpan] = []
    group = 0
    for index, (para_start, para_end) in enumerate(paragraphs):
        open_at: int | None = None
        for i in range(para_start, para_end):
            role = mark_role(text, i)
            if role is None:
                continue
            if open_at is None:
                if role in ("open", "either"):
                    open_at = i
                continue
            if role == "open" or i - open_at > MAX_QUOTE_CHARS:
                pending = []
                open_at = i if role in ("open", "either") else None
                continue
            start, end = trimmed(text, open_at + 1, i)
            if end > start:
                segment = QuoteSpan(start, end, open_at, i, group, para_start)
                spans.extend(pending + [segment])
            group += 1
            pending = []
            open_at = None
        if open_at is None:
            pending = []
            continue
        next_para = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        continues = (
            next_para is not None
            and starts_with_opener(text, *next_para)
            and len(pending) < MAX_CONTINUED_PARAGRAPHS
            and para_end - open_at <= MAX_QUOTE_CHARS
        )
        if not continues:
            pending = []
            group += 1
            continue
        start, end = trimmed(text, open_at + 1, para_end)
        if end > start:
            pending.append(QuoteSpan(start, end, open_at, None, group, para_start))
    return spans


def is_capitalised_title(text: str) -> bool:
    """A short run of capitalised words: the name of a document, an operation or a heading."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    return 0 < len(words) <= TITLE_MAX_WORDS and all(w[0].isupper() for w in words)


TITLE_SMALL_WORDS = frozenset({"a", "an", "the", "of", "to", "in", "for", "and", "on", "at", "with", "by", "or"})
TITLE_CASE_MAX_WORDS = 8


def is_title_case(text: str) -> bool:
    """Words capitalised as in a title ('A Path to Peace'), short enough to be a name."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    if not 0 < len(words) <= TITLE_CASE_MAX_WORDS or not words[0][0].isupper():
        return False
    return all(w[0].isupper() or w.lower() in TITLE_SMALL_WORDS for w in words)


def is_named_title(text: str, span: QuoteSpan, markers: Iterable[str]) -> bool:
    """A capitalised quote right after 'the', 'so-called', 'known as': the name of something, not speech."""
    if not is_title_case(text[span.start:span.end]):
        return False
    before = text[span.paragraph_start:span.open_at].rstrip().casefold()
    return any(before == m or before.endswith(" " + m) for m in markers)


# '“We hope,” Kurti said, “that the talks go on.”': the second part goes on with a direct quote.
SPLIT_ATTRIBUTION = re.compile(r"[”\"]\s+[^“”\"\n]{1,60}?,$")
ABBREVIATION_END = re.compile(r"(\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Col|Lt|Sen|Rep)\.)$")


def quote_kind(text: str, span: QuoteSpan, opens_sentence: bool) -> str:
    """direct: the quote is a statement of its own; partial: a few words inside the writer's sentence."""
    if span.close_at is None or opens_sentence:
        return "direct"
    before = text[span.paragraph_start:span.open_at].rstrip()
    if not before:
        return "direct"
    prev = before[-1]
    if prev in "!?:" or (prev == "." and not ABBREVIATION_END.search(before)):
        return "direct"
    if prev == "," and (text[span.start].isupper() or SPLIT_ATTRIBUTION.search(before)):
        return "direct"
    return "partial"


# ------------------------------------------------------------------------------------- attribution


@dataclass
class Speaker:
    """Who said a quote, how we know, and how sure we are."""

    actor_ids: list[str]
    names: list[str]
    role: str | None
    attribution: str
    cue: str | None
    cue_token: Token | None
    confidence: float
    is_person: bool | None
    position: int = 0

    @property
    def actor_id(self) -> str | None:
        return self.actor_ids[0] if self.actor_ids else None

    @property
    def name(self) -> str | None:
        return " and ".join(self.names) if self.names else None


@dataclass(frozen=True)
class Candidate:
    """A span that can stand for a speaker: an actor mention, or a person named by NER alone."""

    char_start: int
    char_end: int
    actor_id: str | None
    name: str
    is_person: bool | None


class ArticleContext:
    """The parse, the mentions and the codebook of one article, with the lookups attribution needs."""

    def __init__(self, doc: Doc, article: Article, mentions: list[Mention], actors: dict[str, Actor],
                 codebook: Codebook, spans: list[QuoteSpan]) -> None:
        self.doc = doc
        self.article = article
        self.actors = actors
        self.codebook = codebook
        self.spans = spans
        self.quoted_chars = sorted((s.open_at, (s.close_at if s.close_at is not None else s.end) + 1)
                                   for s in spans)
        self.quoted_starts = [start for start, _ in self.quoted_chars]
        self.quoted_tokens = {t.i for t in doc if self.in_quotes(t.idx)}
        self.date_mentions = [m for m in mentions if m.kind == "date" and m.value]
        self.candidates = self.build_candidates([m for m in mentions if m.kind == "actor" and m.value])
        self.person_tokens = {t.i for c in self.candidates if c.is_person
                              for t in doc.char_span(c.char_start, c.char_end, alignment_mode="expand") or []}
        self.roles: dict[Candidate, str | None] = {}
        self.actor_roles: dict[str, str | None] = {}
        self.speakers: list[Speaker] = []

    def in_quotes(self, char: int) -> bool:
        index = bisect.bisect_right(self.quoted_starts, char) - 1
        return index >= 0 and char < self.quoted_chars[index][1]

    def build_candidates(self, actor_mentions: list[Mention]) -> list[Candidate]:
        """Actor mentions, plus people NER finds that no mention covers (unknown names still work)."""
        result = [Candidate(m.char_start, m.char_end, m.value, self.actor_name(m), self.mention_is_person(m))
                  for m in actor_mentions]
        for ent in self.doc.ents:
            if ent.label_ not in NER_SPEAKER_LABELS or self.is_role_word(ent.root):
                continue
            if ent.root.dep_ == "compound" and self.is_role_word(ent.root.head):
                continue
            if any(c.char_start < ent.end_char and ent.start_char < c.char_end for c in result):
                continue
            name = re.sub(r"^(the|The)\s+", "", ent.text)
            result.append(Candidate(ent.start_char, ent.end_char, None, name, self.ent_is_person(ent)))
        return with_full_names(sorted(result, key=lambda c: (c.char_start, c.char_end)))

    def ent_is_person(self, ent: Span) -> bool:
        """NER's PERSON, or a name standing right after or in apposition to a role word."""
        if ent.label_ == "PERSON":
            return True
        before = self.doc[ent.start - 1] if ent.start else None
        titled = before is not None and self.is_role_word(before) and before.dep_ == "compound"
        apposed = ent.root.dep_ == "appos" and self.is_role_word(ent.root.head)
        return len(ent) > 1 and (titled or apposed)

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
        return token.lower_ in self.codebook.role_nouns or token.lemma_.lower() in self.codebook.role_nouns

    def cue_of(self, token: Token) -> str | None:
        """The cue text when a token starts a speech cue (a codebook verb or phrase), else None."""
        if token.i in self.quoted_tokens:
            return None
        for phrase in self.codebook.phrases:
            words = [t.lower_ for t in self.doc[token.i:token.i + len(phrase.words)]]
            if tuple(words) == phrase.words:
                return " ".join(phrase.words)
        if token.pos_ not in ("VERB", "AUX"):
            return None
        if token.lower_ in self.codebook.verbs or token.lemma_.lower() in self.codebook.verbs:
            return token.lower_
        return None

    def phrase_of(self, cue: str) -> CuePhrase | None:
        return next((p for p in self.codebook.phrases if " ".join(p.words) == cue), None)

    def candidates_in(self, start: int, end: int) -> list[Candidate]:
        return [c for c in self.candidates if c.char_start < end and start < c.char_end]


def with_full_names(candidates: list[Candidate]) -> list[Candidate]:
    """A bare surname NER found ('Patel') takes the full name given earlier ('Vedant Patel')."""
    result: list[Candidate] = []
    for candidate in candidates:
        words = candidate.name.split()
        if candidate.actor_id is None and len(words) == 1:
            earlier = [c for c in result if c.is_person and len(c.name.split()) > 1]
            match = next((c for c in reversed(earlier) if surname_matches(c.name, words[0])), None)
            match = match or next((c for c in reversed(earlier) if c.name.split()[0] == words[0]), None)
            if match is not None:
                candidate = replace(candidate, actor_id=match.actor_id, name=match.name, is_person=True)
        result.append(candidate)
    return result


def surname_matches(full_name: str, word: str) -> bool:
    """'Burhan' is the surname of 'Abdel Fattah al-Burhan', 'Patel' of 'Vedant Patel'."""
    last = full_name.split()[-1]
    return last == word or last.endswith("-" + word)


def speaker_key(candidate: Candidate) -> str:
    """Mentions of one speaker share this: the actor id, else the name as written."""
    return candidate.actor_id or f"name:{candidate.name}"


def span_tokens(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def governing_cue(ctx: ArticleContext, inner: Span) -> Token | None:
    """The cue verb the quote hangs from in the parse: up from the quote, or a cue attached to it."""
    inside = set(range(inner.start, inner.end))
    best: tuple[int, Token] | None = None
    for token in inner:
        head, steps = token.head, 1
        if head.i in inside:
            continue
        while steps <= 8:
            if ctx.cue_of(head):
                if best is None or steps < best[0]:
                    best = (steps, head)
                break
            if head.head.i == head.i:
                break
            head, steps = head.head, steps + 1
    if best is not None:
        return best[1]
    for token in inner.sent:
        if token.i not in inside and token.head.i in inside and ctx.cue_of(token):
            return token
    return None


def context_tokens(ctx: ArticleContext, span: QuoteSpan, inner: Span) -> list[Token]:
    """Tokens outside any quote in the sentences the quote starts and ends in."""
    sents = {inner[0].sent.start: inner[0].sent, inner[-1].sent.start: inner[-1].sent}
    close = span.close_at if span.close_at is not None else span.end
    after = ctx.doc.char_span(close, min(close + 1, len(ctx.article.text)), alignment_mode="expand")
    if after is not None and len(after) and after[-1].i + 1 < len(ctx.doc):
        following = ctx.doc[after[-1].i + 1]
        if not following.is_sent_start or following.text[:1].islower() or following.text == ",":
            sents[following.sent.start] = following.sent
    tokens = [t for sent in sents.values() for t in sent]
    return [t for t in tokens if t.i not in ctx.quoted_tokens]


def nearest_cue(ctx: ArticleContext, span: QuoteSpan, tokens: list[Token]) -> Token | None:
    """The cue closest to the quote in its own sentences, when the parse does not link them."""
    cues = [t for t in tokens if ctx.cue_of(t)]
    if not cues:
        return None
    close = span.close_at if span.close_at is not None else span.end
    return min(cues, key=lambda t: min(abs(t.idx - span.open_at), abs(t.idx - close)))


def subject_of(ctx: ArticleContext, cue: Token) -> Token | None:
    """The speaker token of a cue: its subject, climbing to the clause it hangs from when it has none."""
    phrase = ctx.phrase_of(ctx.cue_of(cue) or "")
    if phrase is not None and phrase.speaker == "object":
        last = ctx.doc[min(cue.i + len(phrase.words) - 1, len(ctx.doc) - 1)]
        objects = [c for c in last.children if c.dep_ == "pobj"]
        return objects[0] if objects else None
    return climb_to_subject(ctx, cue)[1]


def climb_to_subject(ctx: ArticleContext, cue: Token) -> tuple[list[Token], Token | None]:
    """The words from the cue up to the clause that has a subject ('stating' -> 'reiterated'), and it."""
    verb, path = cue, [cue]
    for _ in range(5):
        if any(c.dep_ == "auxpass" for c in verb.children):
            agent = passive_agent(ctx, verb)
            if agent is not None or verb is cue:
                return path, agent
        subjects = [c for c in verb.children if c.dep_ in ANY_SUBJECT]
        agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if agents:
            return path, agents[0]
        if subjects:
            subject = subjects[0]
            if subject.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
                return path, verb.head
            return path, subject
        if verb.dep_ not in CLIMB_DEPS or verb.head.i == verb.i:
            return path, None
        verb = verb.head
        path.append(verb)
    return path, None


def passive_agent(ctx: ArticleContext, verb: Token) -> Token | None:
    """'was described as X by analysts' -> analysts; the passive subject is what was said, not who."""
    for token in verb.subtree:
        if token.i in ctx.quoted_tokens:
            continue
        if token.dep_ == "agent" or (token.lower_ == "by" and token.dep_ == "prep"):
            objects = [c for c in token.children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    return None


def conj_chain(token: Token) -> list[Token]:
    """A token and the tokens coordinated with it ('Saudi Arabia and the United States')."""
    chain = [token]
    for child in token.children:
        if child.dep_ == "conj":
            chain.extend(conj_chain(child))
    return chain


def covering(ctx: ArticleContext, tokens: Iterable[Token], person: bool | None = None) -> list[Candidate]:
    """The first candidate under each token, in order, without repeats."""
    found: list[Candidate] = []
    for token in tokens:
        match = next((c for c in ctx.candidates if c.char_start <= token.idx < c.char_end
                      and (person is None or c.is_person is person)), None)
        if match is not None and match not in found:
            found.append(match)
    return found


def speaker_span(token: Token) -> Span:
    """The noun phrase of a speaker token, without relative clauses, appositions and punctuation."""
    keep = [token]
    for child in token.children:
        if child.dep_ not in SPEAKER_SPAN_SKIP:
            keep.extend(child.subtree)
    start = min(t.i for t in keep)
    end = max(t.i for t in keep) + 1
    return token.doc[start:end]


def name_tokens(ctx: ArticleContext, token: Token) -> Span:
    """The proper-noun run ending at a speaker token, without the title words before the name."""
    start = token.i
    while start > token.sent.start:
        prev = ctx.doc[start - 1]
        if prev.pos_ != "PROPN" or ctx.is_role_word(prev) or prev.head.i != token.i:
            break
        start -= 1
    return ctx.doc[start:token.i + 1]


def role_before(ctx: ArticleContext, start_token: int) -> str | None:
    """A role written before a name: 'Kenyan Foreign Minister Musalia Mudavadi', 'spokesperson Jane Doe'."""
    doc = ctx.doc
    i = start_token - 1
    words: list[Token] = []
    while i >= 0 and not doc[i + 1].is_sent_start:
        token = doc[i]
        if token.i in ctx.quoted_tokens or token.i in ctx.person_tokens:
            break
        capital = token.text[:1].isupper() and token.pos_ in ("PROPN", "NOUN", "ADJ")
        spaced_dash = token.text == "-" and (token.whitespace_ or (i > 0 and doc[i - 1].whitespace_))
        modifier = token.dep_ in ("compound", "amod") and token.head in words
        if spaced_dash or not (capital or modifier or ctx.is_role_word(token) or token.lower_ in ROLE_CONNECTORS):
            break
        words.insert(0, token)
        i -= 1
    while words and words[0].lower_ in ROLE_CONNECTORS:
        words.pop(0)
    if not any(ctx.is_role_word(t) for t in words):
        return None
    return doc[words[0].i:words[-1].i + 1].text


def role_after(ctx: ArticleContext, token: Token) -> str | None:
    """A role written as an apposition: 'Tom Sullivan, Senior Policy Advisor to the Secretary of State,'."""
    doc = ctx.doc
    if token.i + 1 >= len(doc) or doc[token.i + 1].text != ",":
        return None
    words: list[Token] = []
    for other in doc[token.i + 2:min(token.i + 2 + APPOSITION_MAX_TOKENS, token.sent.end)]:
        if other.text in (",", ";", ":", "(", ")") or other.i in ctx.quoted_tokens:
            break
        words.append(other)
    if not words or any(t.pos_ in ("VERB", "AUX") for t in words):
        return None
    if not any(ctx.is_role_word(t) for t in words):
        return None
    return strip_article(doc[words[0].i:words[-1].i + 1].text)


def role_of_candidate(ctx: ArticleContext, candidate: Candidate) -> str | None:
    """The role the text gives next to one mention of a speaker (looked up once per mention)."""
    if candidate not in ctx.roles:
        span = span_tokens(ctx.doc, candidate.char_start, candidate.char_end)
        role = None
        if span is not None and len(span):
            role = (role_before(ctx, span.start) or role_after(ctx, span[-1])
                    or role_apposed_to(ctx, span.root, span.start) or role_before_comma(ctx, span.start))
        ctx.roles[candidate] = role
    return ctx.roles[candidate]


def role_apposed_to(ctx: ArticleContext, token: Token, name_start: int) -> str | None:
    """A role the name is in apposition to: 'The EU foreign policy chief, Josep Borrell,'."""
    if token.dep_ != "appos":
        return None
    head = token.head
    for _ in range(3):
        if ctx.is_role_word(head) or head.dep_ not in ("pobj", "prep") or head.head.i == head.i:
            break
        head = head.head
    if not ctx.is_role_word(head) or head.i > name_start:
        return None
    text = ctx.doc[head.left_edge.i:name_start].text
    return strip_article(text)


def role_before_comma(ctx: ArticleContext, start: int) -> str | None:
    """A role set off before the name: 'The special envoy for the talks, Jan Novak,' (when the parse misses it)."""
    doc = ctx.doc
    if start < 2 or doc[start - 1].text != ",":
        return None
    words: list[Token] = []
    for i in range(start - 2, max(doc[start].sent.start, start - 2 - APPOSITION_MAX_TOKENS) - 1, -1):
        token = doc[i]
        if token.is_punct and token.text not in ("'s", "’s", ".") or token.i in ctx.quoted_tokens:
            break
        words.insert(0, token)
    if not words or words[0].pos_ not in ("DET", "ADJ", "NOUN", "PROPN"):
        return None
    if any(t.pos_ in ("VERB", "AUX") for t in words) or not any(ctx.is_role_word(t) for t in words[:5]):
        return None
    return strip_article(doc[words[0].i:words[-1].i + 1].text)


def role_of_actor(ctx: ArticleContext, candidate: Candidate) -> str | None:
    """The speaker's role at this mention, else at the earliest mention of the same actor that gives one."""
    role = role_of_candidate(ctx, candidate)
    if role:
        return role
    key = speaker_key(candidate)
    if key not in ctx.actor_roles:
        found = (role_of_candidate(ctx, c) for c in ctx.candidates if speaker_key(c) == key)
        ctx.actor_roles[key] = next((r for r in found if r), None)
    return ctx.actor_roles[key]


def is_subject(ctx: ArticleContext, candidate: Candidate) -> bool:
    span = span_tokens(ctx.doc, candidate.char_start, candidate.char_end)
    if span is None:
        return False
    return any(t.dep_ in ANY_SUBJECT
               or (t.dep_ in ("compound", "appos") and (t.head.dep_ in ANY_SUBJECT or t.head.dep_ == "ROOT"))
               for t in span)


def from_candidates(ctx: ArticleContext, found: list[Candidate], role: str | None, attribution: str,
                    cue: Token | None, confidence: float) -> Speaker:
    """A speaker row from one or more candidate mentions (several for a joint statement)."""
    ids = list(dict.fromkeys(c.actor_id for c in found if c.actor_id))
    names = list(dict.fromkeys(c.name for c in found))
    is_person = found[0].is_person if len(found) == 1 else False
    if not ids:
        confidence -= NO_ACTOR_PENALTY
    return Speaker(ids, names, role, attribution, ctx.cue_of(cue) if cue is not None else None, cue,
                   confidence, is_person)


def explicit_speaker(ctx: ArticleContext, token: Token, cue: Token | None, confidence: float) -> Speaker:
    """The speaker named at the cue: the mention under its subject, else the surface name."""
    span = speaker_span(token)
    found = ctx.candidates_in(span.start_char, span.end_char)
    head = covering(ctx, [token])
    cue_text = ctx.cue_of(cue) if cue is not None else None
    chain = [t for t in conj_chain(token) if t.pos_ == "PROPN" or covering(ctx, [t])]
    if token in chain and len(chain) > 1:
        joint = list(dict.fromkeys(named_candidate(ctx, t) for t in chain))
        return from_candidates(ctx, joint, None, "explicit", cue, confidence)
    if head:
        return from_candidates(ctx, head, role_of_actor(ctx, head[0]), "explicit", cue, confidence)
    if token.pos_ != "PROPN" and (found or not token.text[:1].isupper()):
        phrase = strip_article(span.text)
        if found:
            return from_candidates(ctx, found, phrase, "explicit", cue, confidence)
        is_person = False if is_institution_word(ctx, token) else None
        role = phrase if ctx.is_role_word(token) or is_descriptor(ctx, token) else None
        return Speaker([], [phrase], role, "explicit", cue_text, cue, confidence - NO_ACTOR_PENALTY, is_person)
    names = name_tokens(ctx, token)
    earlier = earlier_full_name(ctx, names)
    if earlier is not None:
        role = role_before(ctx, names.start) or role_after(ctx, token) or role_of_actor(ctx, earlier)
        return from_candidates(ctx, [earlier], role, "explicit", cue, confidence)
    role = role_before(ctx, names.start) or role_after(ctx, token)
    is_person = True if any(e.label_ == "PERSON" for e in names.ents) else None
    return Speaker([], [names.text], role, "explicit", cue_text, cue, confidence - NO_ACTOR_PENALTY, is_person)


def named_candidate(ctx: ArticleContext, token: Token) -> Candidate:
    """The candidate under a name token, else one made from the name as written."""
    found = covering(ctx, [token])
    if found:
        return found[0]
    names = name_tokens(ctx, token)
    earlier = earlier_full_name(ctx, names)
    if earlier is not None:
        return earlier
    is_person = True if any(e.label_ == "PERSON" for e in names.ents) else None
    return Candidate(names.start_char, names.end_char, None, names.text, is_person)


def earlier_full_name(ctx: ArticleContext, names: Span) -> Candidate | None:
    """A surname alone ('Borrell') stands for the person named in full earlier in the article, or,
    in a headline before the body names them, later."""
    last = names[-1].text

    def fuller(candidate: Candidate) -> bool:
        words = candidate.name.split()
        return bool(candidate.is_person and len(words) > len(names) and (
            surname_matches(candidate.name, last) or (len(names) == 1 and words[0] == last)))

    before = [c for c in ctx.candidates if c.char_start < names.start_char and fuller(c)]
    after = [c for c in ctx.candidates if c.char_start >= names.end_char and fuller(c)]
    return before[0] if before else (after[0] if after else None)


def resolve_pronoun(ctx: ArticleContext, token: Token, cue: Token | None) -> Speaker | None:
    """'he said' -> the nearest preceding person who is a grammatical subject, else the last speaker."""
    want_person = token.lower_ in ctx.codebook.person_pronouns
    sents = list(ctx.doc.sents)
    index = next(i for i, s in enumerate(sents) if s.start <= token.i < s.end)
    window_start = sents[max(0, index - PRONOUN_WINDOW_SENTENCES)].start_char
    pool = [c for c in ctx.candidates
            if window_start <= c.char_start and c.char_end <= token.idx and not ctx.in_quotes(c.char_start)
            and (c.is_person is True if want_person else c.is_person is False)]
    subjects = [c for c in pool if is_subject(ctx, c)]
    previous = [s for s in ctx.speakers if s.is_person is want_person and s.position >= window_start]
    confidence = CONFIDENCE["pronoun"]
    if subjects:
        chosen = subjects[-1]
        return from_candidates(ctx, [chosen], role_of_actor(ctx, chosen), "pronoun", cue, confidence)
    if previous:
        return reuse(ctx, previous[-1], "pronoun", cue, confidence)
    if pool:
        chosen = pool[-1]
        return from_candidates(ctx, [chosen], role_of_actor(ctx, chosen), "pronoun", cue, confidence)
    same_kind = [s for s in ctx.speakers if s.is_person is want_person]
    if same_kind:
        return reuse(ctx, same_kind[-1], "pronoun", cue, confidence)
    return None


def reuse(ctx: ArticleContext, speaker: Speaker, attribution: str, cue: Token | None,
          confidence: float) -> Speaker:
    """An earlier speaker again, with this quote's attribution and cue."""
    if not speaker.actor_ids:
        confidence -= NO_ACTOR_PENALTY
    return Speaker(list(speaker.actor_ids), list(speaker.names), speaker.role, attribution,
                   ctx.cue_of(cue) if cue is not None else None, cue, confidence, speaker.is_person)


def descriptor_words(token: Token) -> list[str]:
    return [t.lower_ for t in token.lefts if t.dep_ in ("amod", "compound")] + [token.lemma_.lower()]


def resolve_descriptor(ctx: ArticleContext, token: Token, cue: Token | None) -> Speaker | None:
    """'the spokesperson' -> the person whose written role holds that noun; 'the statement' -> its maker."""
    confidence = CONFIDENCE["descriptor"]
    noun = token.lemma_.lower()
    if is_institution_word(ctx, token):
        institutions = [s for s in ctx.speakers if s.is_person is False]
        if institutions:
            return reuse(ctx, institutions[-1], "descriptor", cue, confidence)
        pool = [c for c in ctx.candidates if c.char_end <= token.idx and c.is_person is False
                and not ctx.in_quotes(c.char_start) and is_subject(ctx, c)]
        if pool:
            return from_candidates(ctx, [pool[-1]], None, "descriptor", cue, confidence)
        return None
    if is_pair(token):
        people = list(dict.fromkeys(c for c in reversed(ctx.candidates)
                                    if c.char_end <= token.idx and c.is_person and not ctx.in_quotes(c.char_start)))
        pair = list(dict.fromkeys(c.actor_id or c.name for c in people))[:2]
        chosen = [next(c for c in people if (c.actor_id or c.name) == key) for key in reversed(pair)]
        if len(chosen) == 2:
            return from_candidates(ctx, chosen, None, "descriptor", cue, confidence)
    words = descriptor_words(token)
    best: tuple[int, Candidate, str] | None = None
    before = [c for c in ctx.candidates if c.char_end <= token.idx and c.is_person]
    after = [c for c in ctx.candidates if c.char_start > token.idx and c.is_person]
    for candidate in list(reversed(before)) + after:
        role = role_of_actor(ctx, candidate) or ""
        actor = ctx.actors.get(candidate.actor_id or "")
        haystack = " ".join([role] + (actor.roles if actor else [])).lower()
        if noun not in haystack and token.lower_ not in haystack:
            continue
        score = sum(1 for w in words if w in haystack)
        if best is None or score > best[0]:
            best = (score, candidate, role)
        if candidate.char_start > token.idx:
            break
    if best is None:
        return last_person_speaker(ctx, token, cue)
    return from_candidates(ctx, [best[1]], best[2] or None, "descriptor", cue, confidence)


def is_pair(token: Token) -> bool:
    """'the two leaders', 'both ministers': a descriptor for two people."""
    return token.tag_ in ("NNS", "NNPS") and any(
        c.lower_ in ("two", "both") and c.dep_ in ("nummod", "det", "predet") for c in token.children)


def last_person_speaker(ctx: ArticleContext, token: Token, cue: Token | None) -> Speaker | None:
    """'The Russian leader added' with no such role written: the person who spoke just before."""
    sents = list(ctx.doc.sents)
    index = next(i for i, s in enumerate(sents) if s.start <= token.i < s.end)
    window_start = sents[max(0, index - PRONOUN_WINDOW_SENTENCES)].start_char
    recent = [s for s in ctx.speakers if s.is_person and s.position >= window_start and s.names]
    span = speaker_span(token)
    if not recent or token.tag_ != "NN" or ctx.candidates_in(span.start_char, span.end_char):
        return None
    return reuse(ctx, recent[-1], "descriptor", cue, CONFIDENCE["descriptor"] - NO_ACTOR_PENALTY)


def is_institution_word(ctx: ArticleContext, token: Token) -> bool:
    words = ctx.codebook.institution_descriptors
    return token.lemma_.lower() in words or token.lower_ in words


def is_descriptor(ctx: ArticleContext, token: Token) -> bool:
    words = {token.lower_, token.lemma_.lower()}
    book = ctx.codebook
    return bool(words & (book.person_descriptors | book.institution_descriptors)) and token.pos_ == "NOUN"


def dateline_end(ctx: ArticleContext, token: Token) -> int | None:
    """End of a dateline ('Brussels, 14 March 2024 - ') the token sits in, else None."""
    found = dateline_at(ctx.article.text, token.idx)
    return found.end if found is not None else None


def after_dateline(ctx: ArticleContext, token: Token, cue: Token | None, confidence: float) -> Speaker | None:
    """The parser took the dateline's place as subject: use the first name between dateline and cue."""
    end = dateline_end(ctx, token)
    if end is None or cue is None or cue.idx <= end:
        return None
    found = ctx.candidates_in(end, cue.idx)
    people = [c for c in found if c.is_person]
    if people or found:
        chosen = (people or found)[0]
        return from_candidates(ctx, [chosen], role_of_actor(ctx, chosen), "explicit", cue, confidence)
    region = ctx.doc.char_span(end, cue.idx, alignment_mode="contract")
    if region is None or not len(region):
        return None
    return explicit_speaker(ctx, region.root, cue, confidence)


def speaker_from_token(ctx: ArticleContext, token: Token, cue: Token | None, confidence: float) -> Speaker:
    """Classify the subject of a cue: pronoun, descriptor or named speaker, and resolve it."""
    book = ctx.codebook
    moved = after_dateline(ctx, token, cue, confidence)
    if moved is not None:
        return moved
    if token.pos_ == "PRON" and token.lower_ in book.person_pronouns | book.institution_pronouns:
        resolved = resolve_pronoun(ctx, token, cue)
        if resolved is not None:
            return resolved
        return Speaker([], [], None, "pronoun", ctx.cue_of(cue) if cue is not None else None, cue,
                       CONFIDENCE["pronoun"] - NO_ACTOR_PENALTY, token.lower_ in book.person_pronouns)
    named = covering(ctx, [c for c in token.children if c.dep_ == "appos"], person=True)
    if named and not covering(ctx, [token]):
        role = role_of_actor(ctx, named[0]) or strip_article(speaker_span(token).text)
        return from_candidates(ctx, named[:1], role, "explicit", cue, confidence)
    if covering(ctx, [token]) and is_descriptor(ctx, token) and token.pos_ != "PROPN":
        resolved = explicit_speaker(ctx, token, cue, CONFIDENCE["descriptor"])
        resolved.attribution = "descriptor"
        return resolved
    if not covering(ctx, [token]) and is_descriptor(ctx, token):
        issuers = issuers_of(ctx, token)
        if issuers:
            return from_candidates(ctx, issuers, None, "explicit", cue, confidence)
        span = speaker_span(token)
        if is_institution_word(ctx, token) and ctx.candidates_in(span.start_char, span.end_char):
            return explicit_speaker(ctx, token, cue, confidence)
        resolved = resolve_descriptor(ctx, token, cue)
        if resolved is not None:
            return resolved
    return explicit_speaker(ctx, token, cue, confidence)


def strip_article(text: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", text.strip(" ,"), flags=re.IGNORECASE)


def issuers_of(ctx: ArticleContext, token: Token) -> list[Candidate]:
    """Who issued a statement, when the text says it: 'The statement, issued by X and Y, said'."""
    for child in token.children:
        if child.dep_ != "acl":
            continue
        for agent in child.children:
            if agent.dep_ == "agent":
                objects = [g for g in agent.children if g.dep_ == "pobj"]
                if objects:
                    return covering(ctx, conj_chain(objects[0]))
    return []


def colon_speaker(ctx: ArticleContext, span: QuoteSpan) -> Speaker | None:
    """'X: "..."': a short name or title right before a colon that opens the quote."""
    before = ctx.article.text[span.paragraph_start:span.open_at].rstrip()
    if not before.endswith(":"):
        return None
    colon = span.paragraph_start + len(before) - 1
    head = ctx.doc.char_span(colon, colon + 1, alignment_mode="expand")
    if head is None:
        return None
    sent = head[0].sent
    lead = ctx.doc[sent.start:head.start]
    if not 0 < len(lead) <= 8 or any(t.pos_ in ("VERB", "AUX") for t in lead):
        return None
    return speaker_from_token(ctx, lead.root, None, CONFIDENCE["explicit_loose"])


def attribute_segment(ctx: ArticleContext, span: QuoteSpan) -> Speaker | None:
    """The speaker of one quoted segment from its own sentences, or None."""
    inner = span_tokens(ctx.doc, span.start, span.end)
    if inner is None or not len(inner):
        return None
    cue = governing_cue(ctx, inner)
    confidence = CONFIDENCE["explicit"]
    if cue is None:
        colon = colon_speaker(ctx, span)
        if colon is not None:
            return colon
        cue = nearest_cue(ctx, span, context_tokens(ctx, span, inner))
        confidence = CONFIDENCE["explicit_loose"]
    if cue is None:
        return None
    subject = subject_of(ctx, cue)
    if subject is None:
        return None
    return speaker_from_token(ctx, subject, cue, confidence)


def sentence_speaker(ctx: ArticleContext, sent: Span) -> Speaker | None:
    """The speaker a neighbouring sentence names with a cue of its own."""
    for token in reversed(list(sent)):
        if token.i in ctx.quoted_tokens or not ctx.cue_of(token):
            continue
        subject = subject_of(ctx, token)
        if subject is not None:
            return speaker_from_token(ctx, subject, token, CONFIDENCE["previous_sentence"])
    return None


def neighbour_speaker(ctx: ArticleContext, span: QuoteSpan) -> Speaker | None:
    """A quote standing alone takes the speaker of the sentence before it (or after it)."""
    inner = span_tokens(ctx.doc, span.start, span.end)
    if inner is None or not len(inner):
        return None
    sents = list(ctx.doc.sents)
    first = next(i for i, s in enumerate(sents) if s.start <= inner.start < s.end)
    last = next(i for i, s in enumerate(sents) if s.start <= inner.end - 1 < s.end)
    neighbours = ([sents[first - 1]] if first > 0 else []) + ([sents[last + 1]] if last + 1 < len(sents) else [])
    for position, sent in enumerate(neighbours):
        if sent.text.strip() == "" or (position == 0 and ctx.speakers and ctx.speakers[-1].position
                                       >= sent.start_char and ctx.speakers[-1].attribution != "unattributed"):
            if position == 0 and ctx.speakers:
                return reuse(ctx, ctx.speakers[-1], "previous_sentence", ctx.speakers[-1].cue_token,
                             CONFIDENCE["previous_sentence"])
            continue
        found = sentence_speaker(ctx, sent)
        if found is not None:
            found.attribution = "previous_sentence"
            found.confidence = min(found.confidence, CONFIDENCE["previous_sentence"])
            return found
    return None


def quote_date(ctx: ArticleContext, cue: Token | None) -> str | None:
    """The date mention hanging from the cue ('said Thursday'), else the article's date."""
    verbs = {t.i for t in climb_to_subject(ctx, cue)[0]} if cue is not None else set()
    if verbs:
        for mention in ctx.date_mentions:
            if ctx.in_quotes(mention.char_start):
                continue
            span = span_tokens(ctx.doc, mention.char_start, mention.char_end)
            if span is None or not len(span):
                continue
            head, steps = span.root, 0
            while steps < DATE_ATTACH_STEPS and head.head.i != head.i:
                head, steps = head.head, steps + 1
                if head.i in verbs:
                    return mention.value
                if head.pos_ in ("VERB", "AUX"):
                    break
    return ctx.article.published_date


def opens_sentence(ctx: ArticleContext, span: QuoteSpan) -> bool:
    marks = ctx.doc.char_span(span.open_at, span.open_at + 1, alignment_mode="expand")
    return marks is not None and len(marks) > 0 and marks[0].is_sent_start


def normalise_quote(text: str) -> str:
    """Casefolded words only: the key that matches one quotation across articles."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def make_quote(ctx: ArticleContext, span: QuoteSpan, speaker: Speaker | None) -> Quote:
    text = ctx.article.text[span.start:span.end]
    article_id = ctx.article.article_id
    speaker = speaker or Speaker([], [], None, "unattributed", None, None, CONFIDENCE["unattributed"], None)
    return Quote(
        quote_id=make_id("quote", article_id, span.start, span.end),
        article_id=article_id,
        text=text,
        char_start=span.start,
        char_end=span.end,
        kind=quote_kind(ctx.article.text, span, opens_sentence(ctx, span)),
        speaker_actor_id=speaker.actor_id,
        speaker_name=speaker.name,
        speaker_role=speaker.role,
        attribution=speaker.attribution,
        cue=speaker.cue,
        quote_date=quote_date(ctx, speaker.cue_token),
        cluster_id=make_id("qcluster", normalise_quote(text)),
        confidence=round(max(0.0, min(1.0, speaker.confidence)), 2),
    )


def group_spans(spans: list[QuoteSpan]) -> list[list[QuoteSpan]]:
    groups: dict[int, list[QuoteSpan]] = {}
    for span in spans:
        groups.setdefault(span.group, []).append(span)
    return list(groups.values())


def attribute_group(ctx: ArticleContext, group: list[QuoteSpan]) -> Speaker | None:
    """One speaker for a quotation, looked for around its first segment, then its last, then nearby."""
    for span in [group[0], group[-1]] if len(group) > 1 else group:
        speaker = attribute_segment(ctx, span)
        if speaker is not None:
            return speaker
    if quote_kind(ctx.article.text, group[0], opens_sentence(ctx, group[0])) == "direct":
        return neighbour_speaker(ctx, group[0])
    return None


def paragraph_starts(doc: Doc) -> list[bool | None]:
    """True for the first token of every line, None elsewhere (left to the parser)."""
    starts: list[bool | None] = []
    for token in doc:
        prev = doc[token.i - 1] if token.i else None
        after_newline = prev is None or "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text)
        starts.append(True if after_newline and not token.is_space else None)
    return starts


def crosses_paragraphs(doc: Doc) -> bool:
    return any("\n" in t.text or "\n" in t.whitespace_ for sent in doc.sents for t in sent[:-1])


def with_paragraph_sentences(doc: Doc) -> Doc:
    """The parse again with a sentence break at every line break, when the parser ran over one.

    A headline without a full stop otherwise becomes the subject of the first sentence of the body.
    """
    if not crosses_paragraphs(doc):
        return doc
    from flows.extract.annotate import load_nlp

    nlp = load_nlp()
    words = [t.text for t in doc]
    spaces = [bool(t.whitespace_) for t in doc]
    fresh = Doc(nlp.vocab, words=words, spaces=spaces, sent_starts=paragraph_starts(doc))
    for _, component in nlp.pipeline:
        fresh = component(fresh)
    return fresh


def extract_quotes(doc: Doc, article: Article, mentions: list[Mention], actors: dict[str, Actor]) -> list[Quote]:
    """Every quotation of an article with its speaker, role, cue, date and confidence."""
    if doc.text != article.text:
        raise ValueError(f"{article.source_path}: the parsed text differs from the article text")
    doc = with_paragraph_sentences(doc)
    spans = find_quote_spans(article.text)
    ctx = ArticleContext(doc, article, mentions, actors, load_codebook(), spans)
    quotes: list[Quote] = []
    for group in group_spans(spans):
        if len(group) == 1 and is_named_title(article.text, group[0], ctx.codebook.title_markers):
            continue
        speaker = attribute_group(ctx, group)
        if speaker is None and len(group) == 1 and is_capitalised_title(article.text[group[0].start:group[0].end]):
            continue
        if speaker is not None:
            speaker.position = group[-1].end
            ctx.speakers.append(speaker)
        quotes.extend(make_quote(ctx, span, speaker) for span in group)
    return quotes

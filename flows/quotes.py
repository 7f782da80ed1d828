"""Quotes: find quotations in an article, attribute each to a speaker, and cluster them across articles.

Detection is a pure character scan (`find_quote_spans`) so it can be tested without spaCy; attribution
uses the dependency parse: the speech cue governing the quote, its subject, the actor mention under that
subject. Cue verbs, descriptors and role nouns come from the codebook `schemas/cue_verbs.yaml`.

A quotation running over several paragraphs (the news convention: no closing mark at the end of a
paragraph, an opening mark at the start of the next) gives one row per paragraph, all with the speaker
found for the quotation as a whole, so each row's text is an exact slice of the article.
A joint speaker (a statement of two ministries) keeps the first actor as `speaker_actor_id` and lists
all names in `speaker_name`, joined by ' and '.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.tokens import Doc, Span, Token

from flows.ids import make_id
from flows.records import Actor, Article, Mention, Quote

CODEBOOK_PATH = Path(__file__).resolve().parent.parent / "schemas" / "cue_verbs.yaml"

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
SUBJECT_DEPS = ("nsubj", "nsubjpass")
CLIMB_DEPS = ("conj", "advcl", "xcomp", "acl", "ccomp", "dobj", "pobj", "prep", "appos", "pcomp")
SPEAKER_SPAN_SKIP = ("relcl", "appos", "acl", "advcl", "punct", "cc")
ROLE_CONNECTORS = ("of", "for", "'s", "’s", "-")
PRONOUN_WINDOW_SENTENCES = 4
NON_PERSON_KINDS = ("state", "government", "organisation", "igo", "group")


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
    if prev == "," and text[span.start].isupper():
        return "direct"
    if span.group > 0 and prev in "”\"" and text[span.start].isupper():
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
        self.quoted_chars = [(s.open_at, (s.close_at if s.close_at is not None else s.end) + 1) for s in spans]
        self.quoted_tokens = {t.i for t in doc if self.in_quotes(t.idx)}
        self.date_mentions = [m for m in mentions if m.kind == "date" and m.value]
        self.candidates = self.build_candidates([m for m in mentions if m.kind == "actor" and m.value])
        self.speakers: list[Speaker] = []

    def in_quotes(self, char: int) -> bool:
        return any(start <= char < end for start, end in self.quoted_chars)

    def build_candidates(self, actor_mentions: list[Mention]) -> list[Candidate]:
        """Actor mentions, plus people NER finds that no mention covers (unknown names still work)."""
        result = [Candidate(m.char_start, m.char_end, m.value, self.actor_name(m), self.mention_is_person(m))
                  for m in actor_mentions]
        for ent in self.doc.ents:
            if ent.label_ != "PERSON" or self.is_role_word(ent.root):
                continue
            if ent.root.dep_ == "compound" and self.is_role_word(ent.root.head):
                continue
            if any(c.char_start < ent.end_char and ent.start_char < c.char_end for c in result):
                continue
            result.append(Candidate(ent.start_char, ent.end_char, None, ent.text, True))
        return with_full_names(sorted(result, key=lambda c: (c.char_start, c.char_end)))

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
        if candidate.actor_id is None and candidate.is_person and len(words) == 1:
            earlier = [c for c in result if c.is_person and len(c.name.split()) > 1
                       and c.name.split()[-1] == words[0]]
            if earlier:
                candidate = replace(candidate, actor_id=earlier[-1].actor_id, name=earlier[-1].name)
        result.append(candidate)
    return result


def same_speaker(a: Candidate, b: Candidate) -> bool:
    return a.actor_id == b.actor_id if a.actor_id or b.actor_id else a.name == b.name


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
    after = ctx.doc.char_span(close, min(close + 1, len(ctx.doc.text)), alignment_mode="expand")
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
    verb = cue
    for _ in range(5):
        subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if agents:
            return agents[0]
        if subjects:
            subject = subjects[0]
            if subject.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
                return verb.head
            return subject
        if verb.dep_ not in CLIMB_DEPS or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


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
    """A role written before a name: 'U.S. Secretary of State Antony Blinken', 'spokesperson Vedant Patel'."""
    doc = ctx.doc
    i = start_token - 1
    words: list[Token] = []
    while i >= 0 and not doc[i + 1].is_sent_start:
        token = doc[i]
        if token.i in ctx.quoted_tokens or any(c.char_start <= token.idx < c.char_end for c in ctx.candidates
                                               if c.is_person):
            break
        capital = token.text[:1].isupper() and token.pos_ in ("PROPN", "NOUN", "ADJ")
        if not (capital or ctx.is_role_word(token) or token.lower_ in ROLE_CONNECTORS):
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
    for child in token.children:
        if child.dep_ == "appos" and child.i > token.i:
            words = list(child.subtree)
            if any(ctx.is_role_word(t) for t in words):
                span = ctx.doc[words[0].i:words[-1].i + 1]
                text = span.text.strip(" ,")
                return re.sub(r"^(the|a|an)\s+", "", text, flags=re.IGNORECASE)
    return None


def role_of_candidate(ctx: ArticleContext, candidate: Candidate) -> str | None:
    """The role the text gives next to one mention of a speaker."""
    span = span_tokens(ctx.doc, candidate.char_start, candidate.char_end)
    if span is None or not len(span):
        return None
    return role_before(ctx, span.start) or role_after(ctx, span.root)


def role_of_actor(ctx: ArticleContext, candidate: Candidate) -> str | None:
    """The speaker's role at this mention, else at the earliest mention of the same actor that gives one."""
    role = role_of_candidate(ctx, candidate)
    if role:
        return role
    for other in ctx.candidates:
        if same_speaker(other, candidate) and other != candidate:
            role = role_of_candidate(ctx, other)
            if role:
                return role
    return None


def is_subject(ctx: ArticleContext, candidate: Candidate) -> bool:
    span = span_tokens(ctx.doc, candidate.char_start, candidate.char_end)
    if span is None:
        return False
    return any(t.dep_ in SUBJECT_DEPS or (t.dep_ == "compound" and t.head.dep_ in SUBJECT_DEPS) for t in span)


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
    head = [c for c in found if c.char_start <= token.idx < c.char_end]
    cue_text = ctx.cue_of(cue) if cue is not None else None
    if head:
        return from_candidates(ctx, head[:1], role_of_actor(ctx, head[0]), "explicit", cue, confidence)
    if token.pos_ != "PROPN" and (found or not token.text[:1].isupper()):
        role = re.sub(r"^(the|a|an)\s+", "", span.text, flags=re.IGNORECASE)
        if found:
            return from_candidates(ctx, found, role, "explicit", cue, confidence)
        is_person = False if token.lemma_.lower() in ctx.codebook.institution_descriptors else None
        return Speaker([], [role], None, "explicit", cue_text, cue, confidence - NO_ACTOR_PENALTY, is_person)
    names = name_tokens(ctx, token)
    earlier = earlier_full_name(ctx, names)
    if earlier is not None:
        role = role_before(ctx, names.start) or role_after(ctx, token) or role_of_actor(ctx, earlier)
        return from_candidates(ctx, [earlier], role, "explicit", cue, confidence)
    role = role_before(ctx, names.start) or role_after(ctx, token)
    is_person = True if any(e.label_ == "PERSON" for e in names.ents) else None
    return Speaker([], [names.text], role, "explicit", cue_text, cue, confidence - NO_ACTOR_PENALTY, is_person)


def earlier_full_name(ctx: ArticleContext, names: Span) -> Candidate | None:
    """A surname alone ('Blinken') stands for the person named in full earlier in the article."""
    last = names[-1].text
    for candidate in ctx.candidates:
        if candidate.char_start >= names.start_char:
            break
        words = candidate.name.split()
        if candidate.is_person and len(words) > len(names) and words[-1] == last:
            return candidate
    return None


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
    if noun in ctx.codebook.institution_descriptors or token.lower_ in ctx.codebook.institution_descriptors:
        institutions = [s for s in ctx.speakers if s.is_person is False]
        if institutions:
            return reuse(ctx, institutions[-1], "descriptor", cue, confidence)
        pool = [c for c in ctx.candidates if c.char_end <= token.idx and c.is_person is False
                and not ctx.in_quotes(c.char_start) and is_subject(ctx, c)]
        if pool:
            return from_candidates(ctx, [pool[-1]], None, "descriptor", cue, confidence)
        return None
    words = descriptor_words(token)
    best: tuple[int, Candidate, str] | None = None
    for candidate in reversed([c for c in ctx.candidates if c.char_end <= token.idx and c.is_person]):
        role = role_of_actor(ctx, candidate) or ""
        actor = ctx.actors.get(candidate.actor_id or "")
        haystack = " ".join([role] + (actor.roles if actor else [])).lower()
        if noun not in haystack and token.lower_ not in haystack:
            continue
        score = sum(1 for w in words if w in haystack)
        if best is None or score > best[0]:
            best = (score, candidate, role)
    if best is None:
        return None
    return from_candidates(ctx, [best[1]], best[2] or None, "descriptor", cue, confidence)


def is_descriptor(ctx: ArticleContext, token: Token) -> bool:
    words = {token.lower_, token.lemma_.lower()}
    book = ctx.codebook
    return bool(words & (book.person_descriptors | book.institution_descriptors)) and token.pos_ == "NOUN"


def speaker_from_token(ctx: ArticleContext, token: Token, cue: Token | None, confidence: float) -> Speaker:
    """Classify the subject of a cue: pronoun, descriptor or named speaker, and resolve it."""
    book = ctx.codebook
    if token.pos_ == "PRON" and token.lower_ in book.person_pronouns | book.institution_pronouns:
        resolved = resolve_pronoun(ctx, token, cue)
        if resolved is not None:
            return resolved
        return Speaker([], [token.text], None, "pronoun", ctx.cue_of(cue) if cue is not None else None, cue,
                       CONFIDENCE["pronoun"] - NO_ACTOR_PENALTY, token.lower_ in book.person_pronouns)
    head_mention = [c for c in ctx.candidates if c.char_start <= token.idx < c.char_end]
    if not head_mention and is_descriptor(ctx, token):
        resolved = resolve_descriptor(ctx, token, cue)
        if resolved is not None:
            return resolved
    return explicit_speaker(ctx, token, cue, confidence)


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
    if cue is not None:
        for mention in ctx.date_mentions:
            if ctx.in_quotes(mention.char_start):
                continue
            span = span_tokens(ctx.doc, mention.char_start, mention.char_end)
            if span is None or not len(span):
                continue
            head, steps = span.root, 0
            while steps < 3 and head.head.i != head.i:
                head, steps = head.head, steps + 1
                if head.i == cue.i:
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


def extract_quotes(doc: Doc, article: Article, mentions: list[Mention], actors: dict[str, Actor]) -> list[Quote]:
    """Every quotation of an article with its speaker, role, cue, date and confidence."""
    if doc.text != article.text:
        raise ValueError(f"{article.source_path}: the parsed text differs from the article text")
    spans = find_quote_spans(article.text)
    ctx = ArticleContext(doc, article, mentions, actors, load_codebook(), spans)
    quotes: list[Quote] = []
    for group in group_spans(spans):
        speaker = attribute_group(ctx, group)
        if speaker is None and len(group) == 1 and is_capitalised_title(article.text[group[0].start:group[0].end]):
            continue
        if speaker is not None:
            speaker.position = group[-1].end
            ctx.speakers.append(speaker)
        quotes.extend(make_quote(ctx, span, speaker) for span in group)
    return quotes


# ---------------------------------------------------------------------------------------- clustering

CONTAINMENT_MIN_WORDS = 3


def cluster_quotes(quotes: Iterable[Quote]) -> list[Quote]:
    """Give the same quotation reported by several articles one cluster id.

    Quotes match when their normalised texts are equal, or when one (of at least a few words) is
    contained in a longer one, as a partial quote is in the full quotation. The cluster id is
    `make_id('qcluster', normalised text of the longest member)`.
    """
    quotes = list(quotes)
    keys = [normalise_quote(q.text) for q in quotes]
    distinct = sorted(set(keys), key=lambda k: (-len(k), k))
    parent = {k: k for k in distinct}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    by_word: dict[str, set[str]] = {}
    for key in distinct:
        for word in set(key.split()):
            by_word.setdefault(word, set()).add(key)
    for key in distinct:
        words = key.split()
        if len(words) < CONTAINMENT_MIN_WORDS:
            continue
        pool = set.intersection(*(by_word[w] for w in set(words)))
        for longer in pool:
            if len(longer) > len(key) and f" {key} " in f" {longer} ":
                root_a, root_b = find(key), find(longer)
                if root_a != root_b:
                    keep, drop = sorted((root_a, root_b), key=lambda k: (-len(k), k))
                    parent[drop] = keep
    return [replace(q, cluster_id=make_id("qcluster", find(k))) for q, k in zip(quotes, keys, strict=True)]

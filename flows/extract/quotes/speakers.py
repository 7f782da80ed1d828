"""Speakers named at a cue: the actor mention under the cue's subject, a joint speaker, a name NER found,
or the words of the subject itself; an earlier speaker reused."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span, Token

from flows.extract.actors.titles import strip_article
from flows.extract.annotate import doc_text
from flows.extract.dateline import dateline_at
from flows.extract.grammar import ANY_SUBJECT, LOCATIVE_PREPOSITIONS
from flows.extract.quotes.codebook import load_codebook
from flows.extract.quotes.context import (
    NO_ACTOR_PENALTY,
    ArticleContext,
    Candidate,
    Speaker,
    span_tokens,
    surname_matches,
)
from flows.extract.quotes.roles import name_tokens, role_of_actor


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


def glued_by_hyphen(left: Token, right: Token) -> bool:
    """Two tokens of one hyphenated word the tokenizer split ('co', '-', 'chairs')."""
    return right.i == left.i + 1 and not left.whitespace_ and "-" in (left.text, right.text)


def hyphen_word_head(token: Token) -> Token:
    """The last piece of a hyphenated word a token belongs to: 'chairs' of 'co-chairs', which the parser
    may have split into three subjects."""
    doc = token.doc
    while token.i + 1 < len(doc) and glued_by_hyphen(token, doc[token.i + 1]):
        token = doc[token.i + 1]
    return token


def speaker_span(token: Token) -> Span:
    """The noun phrase of a speaker token, without relative clauses, appositions and punctuation, with the
    pieces of a hyphenated word ('co-chairs')."""
    skip = load_codebook().words["speaker_phrase_skip"]
    keep = [token]
    while keep[0].i > 0 and glued_by_hyphen(token.doc[keep[0].i - 1], keep[0]):
        keep.insert(0, token.doc[keep[0].i - 1])
    for child in token.children:
        if child.dep_ not in skip:
            keep.extend(child.subtree)
    start = min(t.i for t in keep)
    end = max(t.i for t in keep) + 1
    return token.doc[start:end]


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
    speaker = Speaker(ids, names, role, attribution, ctx.cue_of(cue), cue, confidence, is_person)
    if all(c.kind == "anonymous" for c in found):
        speaker.kind, speaker.country_iso3 = "anonymous", found[0].country
        speaker.rule_ids += ["anonymous_source", "indefinite_determiner"]
    return speaker


def explicit_speaker(ctx: ArticleContext, token: Token, cue: Token | None, confidence: float) -> Speaker:
    """The speaker named at the cue: the mention under its subject, else the surface name."""
    span = speaker_span(token)
    found = ctx.candidates_in(span.start_char, span.end_char)
    head = covering(ctx, [token])
    cue_text = ctx.cue_of(cue)
    chain = [t for t in conj_chain(token) if t.pos_ == "PROPN" or covering(ctx, [t])]
    if token in chain and len(chain) > 1:
        joint = list(dict.fromkeys(named_candidate(ctx, t) for t in chain))
        return from_candidates(ctx, joint, None, "explicit", cue, confidence)
    owners = [c for c in found if c not in head]
    if head and head[0].actor_id is None and owners and owned_institution(ctx, token, owners):
        # 'Moldova's energy ministry': an institution no dictionary links, as written, owned by its state
        return institution_as_written(ctx, owners, strip_article(span.text), cue, confidence)
    if head:
        return from_candidates(ctx, head, role_of_actor(ctx, head[0]), "explicit", cue, confidence)
    if token.pos_ != "PROPN" and (found or not token.text[:1].isupper()):
        phrase = strip_article(span.text)
        if found and owned_institution(ctx, token, found):
            return institution_as_written(ctx, found, phrase, cue, confidence)
        if found:
            return from_candidates(ctx, found, phrase, "explicit", cue, confidence)
        is_person = False if is_institution_word(ctx, token) else None
        role = phrase if ctx.is_role_word(token) or is_descriptor(ctx, token) else None
        return Speaker([], [phrase], role, "explicit", cue_text, cue, confidence - NO_ACTOR_PENALTY, is_person)
    titled = [c for c in found if c.is_person] if ctx.is_role_word(token) else []
    if titled:  # 'Head of Government X said': the subject is the title, its holder is named inside it
        role = doc_text(ctx.doc)[span.start_char:titled[0].char_start].strip(" ,")
        return from_candidates(ctx, titled[:1], strip_article(role) or None, "explicit", cue, confidence)
    if not found and is_definite_title(ctx, token):  # 'the Head of State said': the title as written
        phrase = strip_article(span.text)
        return Speaker([], [phrase], phrase, "explicit", cue_text, cue, confidence - NO_ACTOR_PENALTY, True)
    names = name_tokens(ctx, token)
    earlier = earlier_full_name(ctx, names)
    if earlier is not None:
        role = ctx.written_roles.before(names.start) or ctx.written_roles.after(token) or role_of_actor(ctx, earlier)
        return from_candidates(ctx, [earlier], role, "explicit", cue, confidence)
    role = ctx.written_roles.before(names.start) or ctx.written_roles.after(token)
    is_person = True if any(e.label_ == "PERSON" for e in names.ents) else None
    return Speaker([], [names.text], role, "explicit", cue_text, cue, confidence - NO_ACTOR_PENALTY, is_person)


def is_definite_title(ctx: ArticleContext, token: Token) -> bool:
    """'the Head of State', 'the President': a capitalised role word after 'the', naming nobody itself."""
    return (token.pos_ == "PROPN" and ctx.is_role_word(token)
            and any(c.dep_ == "det" and c.lower_ == "the" for c in token.children))


def owned_institution(ctx: ArticleContext, token: Token, found: list[Candidate]) -> bool:
    """'Ukraine's presidential office', 'the office of Prime Minister X', 'the Egyptian presidency': an
    institution noun whose owner is named with it; the speaker is the institution, not its state or head."""
    words = ctx.codebook.words["institution_descriptor"]
    if token.pos_ != "NOUN" or token.tag_ != "NN" or token.lemma_.lower() not in words:
        return False  # 'the foreign ministries of X and Y' speak as X and Y
    owners = [c for c in token.lefts if c.dep_ in ("poss", "amod", "compound")]
    owners += [g for c in token.rights if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
    placed = [c for c in token.rights if c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPOSITIONS]
    named = [c for c in found if not any(p.idx <= c.char_start <= p.right_edge.idx for p in placed)]
    return bool(owners) and len(named) == 1 and all(any(o.left_edge.idx <= c.char_start <= o.right_edge.idx
                                              for o in owners) for c in named)


def institution_as_written(ctx: ArticleContext, found: list[Candidate], phrase: str, cue: Token | None,
                           confidence: float) -> Speaker:
    """The institution by its words as written, linked to the state or organisation that owns it."""
    owners = [c for c in found if c.is_person is False and c.actor_id][:1]
    speaker = Speaker(list(dict.fromkeys(c.actor_id for c in owners if c.actor_id)), [phrase], None, "explicit",
                      ctx.cue_of(cue), cue, confidence if owners else confidence - NO_ACTOR_PENALTY, False,
                      kind="institution", country_iso3=owners[0].country if owners else None)
    speaker.rule_ids.append("institution_descriptor")
    return speaker


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
    return before[0] if before else (after[0] if after else written_full_name(ctx, names))


def written_full_name(ctx: ArticleContext, names: Span) -> Candidate | None:
    """The full name written earlier as a run of proper nouns ending in the same surname, when no
    dictionary or NER span holds it ('Opposition lawmaker Artur Vardanyan said ...  Vardanyan said')."""
    for token in ctx.doc[:names.start]:
        if token.text != names[-1].text or ctx.is_quoted(token):
            continue
        run = name_tokens(ctx, token)
        if len(run) > len(names):
            return Candidate(run.start_char, run.end_char, None, run.text, True, run.text, "person")
    return None


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


def reuse(ctx: ArticleContext, speaker: Speaker, attribution: str, cue: Token | None,
          confidence: float) -> Speaker:
    """An earlier speaker again, with this quote's attribution and cue."""
    if not speaker.actor_ids:
        confidence -= NO_ACTOR_PENALTY
    return Speaker(list(speaker.actor_ids), list(speaker.names), speaker.role, attribution,
                   ctx.cue_of(cue), cue, confidence, speaker.is_person)


def is_institution_word(ctx: ArticleContext, token: Token) -> bool:
    """A noun for an institution or a document ('the ministry', 'the statement')."""
    words = ctx.codebook.speaker_words("institution_descriptor", "document_noun")
    return token.lemma_.lower() in words or token.lower_ in words


def is_descriptor(ctx: ArticleContext, token: Token) -> bool:
    words = {token.lower_, token.lemma_.lower()}
    descriptors = ctx.codebook.speaker_words("person_descriptor", "institution_descriptor", "document_noun")
    definite_title = token.pos_ == "PROPN" and any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)
    return bool(words & descriptors) and (token.pos_ == "NOUN" or definite_title)


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


def joins_reporter(ctx: ArticleContext, verb: Token) -> bool:
    """'X told the summit that Y would never accept "..." and urged "..."': a finite verb the parser joined to
    a reported verb that has a modal of its own cannot share that modal; it goes with the reporting verb."""
    head = verb.head
    grammar = ctx.codebook.words
    return (verb.dep_ == "conj" and verb.tag_ in grammar["finite_verb_tags"] and head.i < verb.i
            and head.tag_ in grammar["bare_verb_tags"] and head.dep_ in grammar["reported_clause"]
            and any(c.dep_ == "aux" and c.tag_ in grammar["modal_tags"] for c in head.children)
            and ctx.cue_of(head.head) is not None and head.head.i < head.i)


def subject_before_participle(verb: Token) -> list[Token]:
    """'Resolution 2231, endorsed in July, calls for "..."': the parser may make the noun the subject of the
    participle set off by commas and leave the finite verb after it without one; that noun is the verb's
    subject. Only a bare participle counts ('which was endorsed' or 'has endorsed' is a clause of its own)."""
    if verb.tag_ not in ("VBZ", "VBD", "VBP") or verb.i < 2 or verb.doc[verb.i - 1].text != ",":
        return []
    for participle in reversed(verb.doc[verb.sent.start:verb.i - 1]):
        if participle.tag_ != "VBN" or participle.right_edge.i != verb.i - 2:
            continue
        if verb.doc[participle.i - 1].text != "," or any(c.dep_ in ("aux", "auxpass") for c in participle.children):
            return []
        return [c for c in participle.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < participle.i]
    return []


def clause_before_participle(participle: Token) -> Token | None:
    """'X said talks stalled after Y expelled the monitors, accusing them of "..."': the parser hangs the
    participle on the main verb, but a clause with its own subject that ends right before it is the one
    it goes on (Y accused them)."""
    if participle.tag_ != "VBG" or participle.dep_ != "advcl" or participle.i < 2:
        return None
    for clause in participle.head.children:
        if clause.dep_ == "advcl" and clause.i < participle.i and clause.right_edge.i >= participle.i - 2 \
                and any(c.dep_ == "nsubj" for c in clause.children):
            return clause
    return None

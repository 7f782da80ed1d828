"""Speakers that are not named people: anonymous sources ('a senior Egyptian official', kept with their
description and country) and documents ('the declaration, signed by X and Y, states': its issuers, else
its name). The nouns are codebook word classes (`anonymous_source`, `document_noun`)."""

from __future__ import annotations

import datetime
import os
from dataclasses import replace

from spacy.tokens import Span, Token

from flows.extract.actors.titles import strip_article
from flows.extract.coref import load_coref_config
from flows.extract.dates.vocab import NUMBERS
from flows.extract.grammar import ANY_SUBJECT, LOCATIVE_PREPOSITIONS, OBJECT, RELATIVE_PRONOUNS
from flows.extract.quotes.context import CONFIDENCE, ArticleContext, Candidate, Speaker, span_tokens, speaker_key
from flows.extract.quotes.parties import is_document, signing_parties
from flows.extract.quotes.roles import name_tokens, role_of_candidate
from flows.extract.quotes.speakers import (
    conj_chain,
    covering,
    from_candidates,
    is_subject,
    owned_institution,
    speaker_span,
)
from flows.extract.roles import holds, parse_role

DOCUMENT_WINDOW_SENTENCES = 4
JOINT_WINDOW_SENTENCES = 2


def source_nouns(ctx: ArticleContext) -> frozenset[str]:
    return ctx.codebook.speaker_words("person_descriptor", "anonymous_source")


def is_source_noun(ctx: ArticleContext, token: Token) -> bool:
    """A singular common noun for a person the text does not name: 'official', 'diplomat', 'villager'."""
    return token.pos_ == "NOUN" and token.tag_ == "NN" and token.lemma_.lower() in source_nouns(ctx)


def names_a_person(ctx: ArticleContext, token: Token) -> bool:
    """'a spokesman, Jan Novak,', 'spokesman Jan Novak' or 'Jan Novak, a spokesman': the noun is the role
    of a named person."""
    if token.dep_ == "appos" and (token.head.pos_ == "PROPN" or covering(ctx, [token.head])):
        return True
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    if following is not None and following.pos_ == "PROPN" and following.head.i != token.i:
        return True
    return any(c.dep_ == "appos" and (c.pos_ == "PROPN" or covering(ctx, [c], person=True))
               for c in token.children)


def description(ctx: ArticleContext, token: Token) -> Span:
    """The words that describe a source as written: its noun phrase without determiner, clauses and
    asides ('a Western diplomat in Geneva, who asked not to be named,': 'Western diplomat in Geneva'). An
    object loses its place phrase, which mostly places the verb ('met the general in the bush')."""
    span = speaker_span(token)
    placed = [c for c in token.rights if c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPOSITIONS]
    start, end = span.start, span.end
    if token.dep_ in OBJECT and placed:
        end = min(end, placed[0].i)
    determiners = ctx.codebook.words["indefinite_determiner"]
    while start < token.i and (token.doc[start].dep_ in ("det", "predet", "punct")
                               or token.doc[start].lower_ in determiners
                               or (token.doc[start].dep_ == "poss" and token.doc[start].pos_ == "PRON")):
        start += 1
    end = next((t.i for t in token.doc[token.i + 1:end] if t.is_punct and not _inside_word(t)), end)
    return token.doc[start:end]


def _inside_word(token: Token) -> bool:
    """A hyphen with no space on either side joins the words of one name ('Deir al-Zour'), it ends nothing."""
    return token.text == "-" and token.i > 0 and not token.doc[token.i - 1].whitespace_ and not token.whitespace_


def country_of(ctx: ArticleContext, span: Span) -> str | None:
    """The country a description states: a demonym ('Jordanian diplomat') or a state named in it."""
    from flows.extract.actors import load_actor_dictionary

    demonyms = load_actor_dictionary().demonyms
    for token in span:
        if token.text in demonyms:
            return demonyms[token.text]
    for candidate in ctx.candidates_in(span.start_char, span.end_char):
        if candidate.kind in ("state", "government") and candidate.country:
            return candidate.country
    return None


def anonymous_candidates(ctx: ArticleContext) -> list[Candidate]:
    """Every indefinite singular source noun phrase ('a Western diplomat in Geneva'), as a candidate."""
    determiners = ctx.codebook.words["indefinite_determiner"]
    found = []
    for token in ctx.doc:
        if not is_source_noun(ctx, token) or token.dep_ == "compound" or names_a_person(ctx, token):
            continue
        if not any(c.dep_ in ("det", "nummod") and c.lower_ in determiners for c in token.children):
            continue
        span = description(ctx, token)
        found.append(Candidate(span.start_char, span.end_char, None, span.text, True, span.text, "anonymous",
                               country_of(ctx, span)))
    return found


def given_name(ctx: ArticleContext, token: Token) -> Span | None:
    """'the woman, who gave only her first name, Leila,' or 'a fighter who gave his name as Karim': the name
    a source noun's relative clause gives it."""
    if not is_source_noun(ctx, token):
        return None
    for clause in (c for c in token.children if c.dep_ == "relcl"):
        if any(t.dep_ == "neg" for t in clause.children):
            continue
        for noun in (t for t in clause.subtree if t.lemma_.lower() in ctx.codebook.words["given_name"]):
            named = [c for c in noun.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
            named += [g for c in noun.head.children if c.dep_ == "prep" and c.lower_ == "as"
                      for g in c.children if g.dep_ == "pobj" and g.pos_ == "PROPN"]
            if named:
                return name_tokens(ctx, named[0])
    return None


def anonymous_speaker(ctx: ArticleContext, token: Token, cue: Token | None, confidence: float) -> Speaker:
    """A source the text describes but does not name: its description, its country when stated."""
    span = description(ctx, token)
    return Speaker([], [span.text], None, "explicit", ctx.cue_of(cue), cue, confidence, True, kind="anonymous",
                   country_iso3=country_of(ctx, span), rule_ids=["anonymous_source"])


def institution_voice(ctx: ArticleContext, token: Token, source: Candidate, cue: Token | None,
                      confidence: float) -> Speaker | None:
    """'The army says ... "...," a spokesman says': a bare spokesperson right after an institution spoke
    is its voice; the institution is the speaker."""
    if source.name.lower() not in ctx.codebook.words["institution_voice"]:
        return None
    sents, index = ctx.sentence_index(token)
    window_start = sents[max(0, index - 1)].start_char
    pool = [c for c in ctx.candidates if window_start <= c.char_start and c.char_end <= source.char_start
            and c.is_person is False and c.kind != "anonymous" and not ctx.in_quotes(c.char_start)
            and is_subject(ctx, c)]
    if not pool:
        return None
    # the institution that spoke, not one its words name ('The army says enemy units attacked ...')
    spoke = [c for c in pool if _subject_of_cue(ctx, c)]
    speaker = from_candidates(ctx, (spoke or pool)[-1:], None, "explicit", cue, confidence)
    speaker.rule_ids.append("institution_voice")
    return speaker


def _subject_of_cue(ctx: ArticleContext, candidate: Candidate) -> bool:
    """The candidate is the subject of a verb of saying ('The army says')."""
    span = span_tokens(ctx.doc, candidate.char_start, candidate.char_end)
    return span is not None and any(t.dep_ in ANY_SUBJECT and ctx.cues.get(t.head.i) is not None for t in span)


def recent_anonymous(ctx: ArticleContext, token: Token) -> Candidate | None:
    """'the diplomat said' after 'a European diplomat ...': the nearest earlier source with that noun."""
    noun = token.lemma_.lower()
    before = [c for c in ctx.candidates if c.kind == "anonymous" and c.char_end <= token.idx
              and not ctx.in_quotes(c.char_start) and noun in c.name.lower().split()]
    return before[-1] if before else None


def issuers(ctx: ArticleContext, token: Token) -> list[Candidate]:
    """Who issued a document, when the text says it: 'issued by X and Y', 'which X and Y signed',
    'X's statement', 'Security Council resolution'."""
    found: list[Candidate] = []
    for child in token.children:
        if child.dep_ in ("acl", "relcl"):
            for grand in child.children:
                if grand.dep_ == "agent":
                    found += [c for g in grand.children if g.dep_ == "pobj" for c in issuing_phrase(ctx, g)]
                elif grand.dep_ == "prep" and grand.lower_ in ctx.codebook.words["issued_at"]:
                    meetings = [g for g in grand.children if g.dep_ == "pobj"]
                    found += [c for m in meetings for p in m.children
                              if p.dep_ == "prep" and p.lower_ in ctx.codebook.words["issued_by"]
                              for g in p.children if g.dep_ == "pobj" for c in issuing_phrase(ctx, g)]
                elif grand.dep_ in ("nsubj", "nsubjpass") and grand.lower_ not in RELATIVE_PRONOUNS:
                    found += covering(ctx, conj_chain(grand))
        elif child.dep_ == "prep" and child.lower_ in ctx.codebook.words["issued_by"]:
            found += [c for g in child.children if g.dep_ == "pobj" for c in issuing_phrase(ctx, g)]
        elif child.dep_ in ("poss", "compound") and child.i < token.i:
            named = [c for c in covering(ctx, list(child.subtree)) if c.actor_id]
            if not named and child.pos_ == "NOUN" and child.lemma_.lower() in ctx.codebook.institution_descriptors:
                named = [c for c in [institution_antecedent(ctx, child)] if c is not None]
            if not named and child.pos_ == "NOUN" and ctx.is_role_word(child):
                named = role_holder(ctx, child)
            found += named
    return list(dict.fromkeys(c for c in found if c.kind != "anonymous"))


def issuing_phrase(ctx: ArticleContext, token: Token) -> list[Candidate]:
    """The actors a phrase after 'by', 'of' or 'from' names, or the institution it names as written ('a
    statement from the Egyptian presidency')."""
    parties = parties_signed_for(ctx, token)
    if parties:
        return parties
    found = actors_under(ctx, token) or office_holders(ctx, token)
    if not found or not owned_institution(ctx, token, found):
        return found
    span = speaker_span(token)
    owner = next((c for c in found if c.is_person is False and c.actor_id), found[0])
    return [Candidate(span.start_char, span.end_char, owner.actor_id if owner.is_person is False else None,
                      strip_article(span.text), False, span.text, "institution", owner.country)]


def parties_signed_for(ctx: ArticleContext, head: Token) -> list[Candidate]:
    """'(signed) by Jan Novak for the government of Chile and by Ana Ruiz for Peru': the parties the
    signatories signed for, not the people who held the pen."""
    found = [c for p in head.subtree if p.dep_ == "prep" and p.lower_ in ctx.codebook.words["signed_for"]
             and (p.head.dep_ == "pobj" or p.head.i == head.i)
             for g in p.children if g.dep_ == "pobj" for c in actors_under(ctx, g)]
    return list(dict.fromkeys(found))


def office_holders(ctx: ArticleContext, token: Token) -> list[Candidate]:
    """'the joint statement of the three foreign ministers': the people the article names whose office (as
    written or in the actor dictionary, at the article date) is that plural role, the nearest to the phrase
    as many as it says (all of them, two or more, when it gives no number)."""
    if token.tag_ not in ("NNS", "NNPS") or not ctx.is_role_word(token):
        return []
    words = [c for c in token.lefts if c.dep_ in ("amod", "compound") and c.is_alpha and not c.like_num]
    role = " ".join([w.lower_ for w in words] + [token.lemma_.lower()])
    numbers = [c for c in token.lefts if c.dep_ == "nummod" and c.like_num]
    wanted = count_of(numbers[0]) if numbers else None
    try:
        day = datetime.date.fromisoformat(ctx.article.published_date or "")
    except ValueError:
        day = None
    people: dict[str, Candidate] = {}
    titled = titled_lists(ctx, token.lower_)
    for candidate in sorted(ctx.candidates, key=lambda c: abs(c.char_start - token.idx)):
        if not candidate.is_person or ctx.in_quotes(candidate.char_start) or candidate.kind == "anonymous":
            continue
        actor = ctx.actors.get(candidate.actor_id or "")
        if (actor is not None and holds([parse_role(r) for r in actor.roles], role, None, day)) \
                or candidate in titled:
            people.setdefault(speaker_key(candidate), candidate)
    found = sorted(people.values(), key=lambda c: c.char_start)
    if wanted:
        nearest = set(list(people)[:wanted])
        found = [c for c in found if speaker_key(c) in nearest]
        return found if len(found) == wanted else []
    return found if len(found) > 1 else []


def titled_lists(ctx: ArticleContext, plural: str) -> set[Candidate]:
    """'Presidents A, B and C': the people of a list whose plural title is written before its first name
    (the text's own words for their office, whether or not the actor dictionary knows them)."""
    found: set[Candidate] = set()
    for candidate in ctx.candidates:
        written = role_of_candidate(ctx, candidate) if candidate.is_person else None
        if not written or written.lower().split()[-1] != plural:
            continue
        span = span_tokens(ctx.doc, candidate.char_start, candidate.char_end)
        listed = [t for t in span.root.subtree if t.dep_ in ("appos", "conj") or t == span.root] if span else []
        found |= {c for c in covering(ctx, listed, person=True) if not ctx.in_quotes(c.char_start)}
    return found


def count_of(token: Token) -> int | None:
    """'three' or '3' as a number (the number words of the date vocabulary)."""
    return int(token.text) if token.text.isdigit() else NUMBERS.get(token.lower_)


def role_holder(ctx: ArticleContext, role: Token) -> list[Candidate]:
    """'the chair's statement': who the text said holds that role, nearest first ('the ASEAN chair',
    'Indonesia, which chairs the bloc' -> the bloc)."""
    stem = role.lemma_.lower()
    for other in reversed(ctx.doc[:role.i]):
        word = other.lemma_.lower()
        if ctx.is_quoted(other) or not word or not (stem.startswith(word) or word.startswith(stem)):
            continue
        if other.pos_ in ("VERB", "AUX"):
            holders = [c for c in other.children if c.dep_ in ("dobj", "attr")]
        else:
            holders = [c for c in other.children if c.dep_ in ("compound", "poss", "prep", "appos")]
            holders += [other.head] if other.dep_ == "compound" else []
        found = [c for h in holders for c in actors_under(ctx, h) if c.char_start != other.idx]
        if found:
            return found[:1]
    return []


def same_stem(role: str, word: str) -> bool:
    """'mediator' and 'mediate' or 'mediation', 'chair' and 'chairmanship': one stem, the suffix aside."""
    common = len(os.path.commonprefix([role, word]))
    return common >= max(4, min(len(role), len(word)) - 2)


def is_plural_role(ctx: ArticleContext, token: Token) -> bool:
    """'the mediators', 'the co-chairs', 'the guarantors': a plural role noun that names nobody itself."""
    return token.tag_ in ("NNS", "NNPS") and ctx.is_role_word(token) and not covering(ctx, [token])


def role_holders(ctx: ArticleContext, role: Token) -> list[Candidate]:
    """'the mediators said' after 'talks mediated by Qatar and Egypt', 'Qatar and Egypt mediated', 'under the
    mediation of X and Y', 'mediators from X and Y' or 'X and Y, the mediators,': the actors the text gave
    that role last."""
    stem = role.lemma_.lower()
    joining = ctx.codebook.words["issued_by"]
    for other in reversed(ctx.doc[:role.i]):
        if ctx.is_quoted(other) or not other.is_alpha or not same_stem(stem, other.lemma_.lower()):
            continue
        if other.pos_ == "VERB":
            phrases = [g for c in other.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            phrases = phrases or [c for c in other.children if c.dep_ == "nsubj"]
        else:
            phrases = [g for c in other.children if c.dep_ == "prep" and c.lower_ in joining
                       for g in c.children if g.dep_ == "pobj"]
            phrases += [c for c in other.children if c.dep_ in ("appos", "amod", "compound", "poss")]
            phrases += [other.head] if other.dep_ == "appos" else []
        found = [c for p in phrases for t in conj_chain(p) for c in actors_under_head(ctx, t)]
        found = list(dict.fromkeys(c for c in found if c.kind != "anonymous"))
        if found:
            return representatives(ctx, other, len(found)) or found
    return []


def representatives(ctx: ArticleContext, role: Token, count: int) -> list[Candidate]:
    """'under the co-chairmanship of X, Y and Z, represented respectively by A, B and C': the people who
    hold the role for the institutions, when the sentence names one for each."""
    for verb in role.sent:
        if verb.lemma_.lower() not in ctx.codebook.words["represented_by"] or ctx.is_quoted(verb):
            continue
        agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        people = [c for g in agents for t in conj_chain(g) for c in covering(ctx, [t])]
        if len(people) == count:
            return people
    return []


def joint_issuers(ctx: ArticleContext, token: Token) -> list[Candidate]:
    """'A joint statement by X and Y ... The two sides said': the issuers of a document the last sentences
    name, when the subject stands for the parties of the story."""
    rule = load_coref_config().rule_for(token)
    if rule is None or rule.target != "story_parties":
        return []
    sents, index = ctx.sentence_index(token)
    window_start = sents[max(0, index - JOINT_WINDOW_SENTENCES)].start
    for other in reversed(ctx.doc[window_start:token.i]):
        if is_document(ctx, other) and not ctx.is_quoted(other):
            found = issuers(ctx, other)
            if len(found) > 1:
                return found
    return []


def actors_under(ctx: ArticleContext, token: Token) -> list[Candidate]:
    """The named actors of a phrase: 'the heads of state of Kenya, Uganda and Tanzania' -> the three; not
    the places it is set in ('signed by X and Y in Doha')."""
    placed = [t for t in token.subtree if t.dep_ == "prep" and t.lower_ in LOCATIVE_PREPOSITIONS and t != token]
    return list(dict.fromkeys(c for c in ctx.candidates_in(token.left_edge.idx, token.right_edge.idx + 1)
                              if c.kind != "anonymous"
                              and not any(p.idx <= c.char_start <= p.right_edge.idx for p in placed)))


def document_speaker(ctx: ArticleContext, token: Token, cue: Token | None, confidence: float) -> Speaker:
    """A document as the subject of a cue: its issuers when named, else the previous institution or
    document that spoke ('the statement added'), else the document's own name ('the Rome communique')."""
    found = issuers(ctx, token) or signatories(ctx, token)
    bare = all(c.dep_ in ("det", "amod", "predet") or describes_document(ctx, c) for c in token.lefts)
    if bare and not found:
        found = earlier_issuers(ctx, token)
    author = earlier_author(ctx, token) if bare and not found else []
    if bare and not found and not author:
        found = same_document_issuers(ctx, token)
    if found:
        speaker = from_candidates(ctx, found, None, "explicit", cue, confidence)
    elif author:
        speaker = from_candidates(ctx, author, None, "descriptor", cue, CONFIDENCE["descriptor"])
    elif bare and (previous_issuer(ctx, token) or issuing_subject(ctx, token)):
        speaker = previous_document(ctx, previous_issuer(ctx, token), issuing_subject(ctx, token), cue)
    else:
        speaker = Speaker([], [strip_article(description(ctx, token).text)], None, "explicit", ctx.cue_of(cue),
                          cue, confidence, False)
    speaker.kind = "document"
    speaker.rule_ids.append("document_noun")
    return speaker


def describes_document(ctx: ArticleContext, token: Token) -> bool:
    """'the four-page agreement', 'the border accord': a modifier that says what a document is like or is
    about, not whose it is (a name, 'the Rome communique', or an issuer, 'the chair's statement')."""
    return (token.dep_ in ("compound", "nmod") and token.pos_ == "NOUN" and not ctx.is_role_word(token)
            and token.lemma_.lower() not in ctx.codebook.institution_descriptors
            and not covering(ctx, list(token.subtree)))


def signatories(ctx: ArticleContext, token: Token) -> list[Candidate]:
    """'X and Y signed a declaration', 'the declaration was signed by X and Y': the subjects (or the agent)
    of the verb a document is the object of, when they are two or more actors (one subject is a reporter
    as often as a signatory)."""
    if token.dep_ == "nsubjpass" and not ctx.is_quoted(token):
        parties = signing_parties(ctx, token.head)
        if len(parties) > 1:
            return parties
        agents = [g for c in token.head.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        found = parties_signed_for(ctx, token.head) if agents else []
        found = found if len(found) > 1 else [c for g in agents for c in issuing_phrase(ctx, g)]
        return found if len(found) > 1 else []
    if token.dep_ != "dobj" or ctx.is_quoted(token):
        return []
    subjects = [c for c in token.head.children if c.dep_ == "nsubj"]
    found = [c for s in subjects for t in conj_chain(s) for c in actors_under_head(ctx, t)]
    found = list(dict.fromkeys(c for c in found if c.kind != "anonymous"))
    return found if len(found) > 1 else []


def actors_under_head(ctx: ArticleContext, token: Token) -> list[Candidate]:
    """The actor a noun phrase names ('Jana Kolar', 'Chile's minister'), or every actor of its phrase when its
    head names none ('the foreign ministers of Chile and Peru'); never the phrases coordinated with it."""
    own = covering(ctx, [token])
    if own:
        return own[:1]
    coordinated = {t.i for c in token.children if c.dep_ == "conj" for t in c.subtree}
    return covering(ctx, [t for t in token.subtree if t.i not in coordinated])


def earlier_issuers(ctx: ArticleContext, token: Token) -> list[Candidate]:
    """'X and Y signed a declaration ... the document reads': the issuers of the nearest document the last
    sentences name, when they are named."""
    sents, index = ctx.sentence_index(token)
    window_start = sents[max(0, index - JOINT_WINDOW_SENTENCES)].start
    for other in reversed(ctx.doc[window_start:token.i]):
        if is_document(ctx, other) and not ctx.is_quoted(other):
            found = issuers(ctx, other) or signatories(ctx, other)
            if found:
                return found
    return []


def same_document_issuers(ctx: ArticleContext, token: Token) -> list[Candidate]:
    """'X and Y released a joint communiqué ... (paragraphs later) "...," the communiqué reads': the
    issuers of the article's last earlier document of the same noun, however far back it was named."""
    noun = token.lemma_.lower()
    for other in reversed(ctx.doc[:token.i]):
        if other.lemma_.lower() == noun and not ctx.is_quoted(other) and is_document(ctx, other):
            found = issuers(ctx, other) or signatories(ctx, other)
            if found:
                return found
    return []


def earlier_author(ctx: ArticleContext, token: Token) -> list[Candidate]:
    """'In a letter dated May 2, the minister told ... The letter talks about': who spoke in the document
    the text named before with the same noun (the subject of the clause it was the setting of)."""
    sents, index = ctx.sentence_index(token)
    window_start = sents[max(0, index - DOCUMENT_WINDOW_SENTENCES)].start
    for other in reversed(ctx.doc[window_start:token.i]):
        if other.lemma_ != token.lemma_ or ctx.is_quoted(other) or other.head.dep_ != "prep":
            continue
        verb = other.head.head
        subjects = [c for c in verb.children if c.dep_ in ANY_SUBJECT]
        found = covering(ctx, subjects[:1])
        if found:
            return found
    return []


def previous_issuer(ctx: ArticleContext, token: Token) -> Speaker | None:
    """The institution or document quoted in the last few sentences, which 'the statement' refers back to."""
    sents, index = ctx.sentence_index(token)
    window_start = sents[max(0, index - DOCUMENT_WINDOW_SENTENCES)].start_char
    recent = [s for s in ctx.speakers if s.is_person is False and s.position >= window_start and s.names]
    return recent[-1] if recent else None


def issuing_subject(ctx: ArticleContext, token: Token) -> Candidate | None:
    """The institution that was the subject of a recent sentence ('The ministry issued a statement')."""
    sents, index = ctx.sentence_index(token)
    window_start = sents[max(0, index - DOCUMENT_WINDOW_SENTENCES)].start_char
    pool = [c for c in ctx.candidates if window_start <= c.char_start and c.char_end <= token.idx
            and c.is_person is False and not ctx.in_quotes(c.char_start) and is_subject(ctx, c)]
    return pool[-1] if pool else None


def previous_document(ctx: ArticleContext, previous: Speaker | None, subject: Candidate | None,
                      cue: Token | None) -> Speaker:
    """'The statement added': the document of the institution quoted or acting just before."""
    if previous is not None:
        return Speaker(list(previous.actor_ids), list(previous.names), previous.role, "descriptor",
                       ctx.cue_of(cue), cue, CONFIDENCE["descriptor"], False, country_iso3=previous.country_iso3)
    assert subject is not None
    return from_candidates(ctx, [subject], None, "descriptor", cue, CONFIDENCE["descriptor"])


def quoted_source(ctx: ArticleContext, token: Token, cue: Token | None) -> Speaker | None:
    """Inside a quotation, 'he' after 'the commander': the person the quoted speaker described."""
    for i in range(token.i - 1, -1, -1):
        other = ctx.doc[i]
        if ctx.is_quoted(other):
            break
        if is_source_noun(ctx, other):
            speaker = anonymous_speaker(ctx, other, cue, CONFIDENCE["pronoun"])
            speaker.attribution = "pronoun"
            return speaker
    return None


def recent_document(ctx: ArticleContext, token: Token, window_start: int) -> Token | None:
    """'The communique was read out. The road, it says, ...': the document that was a subject just before."""
    for other in reversed(ctx.doc[:token.i]):
        if other.idx < window_start:
            break
        if is_document(ctx, other) and other.dep_ in ANY_SUBJECT and not ctx.is_quoted(other):
            return other
    return None


def institution_antecedent(ctx: ArticleContext, token: Token) -> Candidate | None:
    """'the army said' after 'the Lebanese army': the nearest earlier institution whose name (or the words
    the codebook's `refers_to` gives for the noun: 'armed forces' for 'army') holds the noun, or whose
    actor is of the kind the noun names ('the group': a group). Its name is kept as written when the
    actor is its state ('Lebanese army', linked to Lebanon)."""
    noun = token.lemma_.lower()
    words = {noun, token.lower_, *ctx.codebook.refers_to.get(noun, ())}
    for candidate in reversed([c for c in ctx.candidates if c.char_end <= token.idx]):
        if candidate.is_person or candidate.kind == "anonymous" or ctx.in_quotes(candidate.char_start):
            continue
        names = f" {candidate.text.lower()} {candidate.name.lower()} "
        if any(f" {w} " in names for w in words) or f"kind:{candidate.kind}" in words:
            if candidate.kind == "state" and candidate.text and noun in candidate.text.lower():
                return replace(candidate, name=candidate.text)
            return candidate
    return None


def document_cue_word(ctx: ArticleContext, inner: Span) -> Speaker | None:
    """'"...," the Sochi memorandum states.': the tagger may read 'memorandum states' as one noun phrase;
    a document noun right before a word that spells a cue verb is the subject of that verb."""
    for token in inner[0].sent:
        if ctx.is_quoted(token) or token.i == 0 or token.pos_ in ("VERB", "AUX"):
            continue
        document, rule = ctx.doc[token.i - 1], ctx.codebook.cue_word(token)
        if rule is None or ctx.is_quoted(document) or not is_document(ctx, document):
            continue
        speaker = document_speaker(ctx, document, None, CONFIDENCE["explicit_loose"])
        start = document.i
        while start > 0 and ctx.doc[start - 1].dep_ in ("compound", "amod") and not ctx.is_quoted(ctx.doc[start - 1]):
            start -= 1  # 'the Harbour memorandum states': the name's words hang from the cue word
        if not speaker.actor_ids and speaker.names and start < document.i:
            speaker.names = [ctx.doc[start:document.i + 1].text]
        speaker.cue = token.text
        speaker.rule_ids.append(rule.id)
        return speaker
    return None


def document_setting(ctx: ArticleContext, inner: Span) -> Speaker | None:
    """'Under the agreement signed by X and Y, each side may choose its candidate "..."': a quotation no cue
    reports, in a sentence set under a document, is the document's words (its issuers when named)."""
    for token in inner[0].sent:
        if ctx.is_quoted(token) or token.lower_ not in ctx.codebook.words["under_document"]:
            continue
        documents = [c for c in token.children if c.dep_ == "pobj" and is_document(ctx, c)]
        if documents:
            speaker = document_speaker(ctx, documents[0], None, CONFIDENCE["explicit_loose"])
            speaker.rule_ids.append("under_document")
            return speaker
    return None


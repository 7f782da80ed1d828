"""Coreference of collectives (`flows/extract/coref.py` runs these resolvers): 'the co-chairs', 'the
mediators', 'the guarantors' (the members the article introduced in that role), 'the coalition', 'the
alliance' (what the article described so), and the groupings known by one name ('the Troika': the members
`collectives` lists)."""

from __future__ import annotations

from spacy.tokens import Token

from flows.extract.annotate import doc_text
from flows.extract.coref_base import (
    PERSON_PREFIXES,
    CorefRule,
    _Context,
    _phrase_ids,
    prefix_of,
    surface_forms,
    word_start,
)
from flows.extract.grammar import ACTIVE_SUBJECT

LIST_CONNECTORS = frozenset({",", "and", "the", "—", "–", "-", "&"})
LIST_OPENERS = frozenset({",", "—", "–", ":", "("})


def _listed(ctx: _Context, i: int, step: int) -> list[str]:
    """Actors of a list of names from token i on, forwards or backwards ('France, Russia and the United
    States'): names, commas, 'and' and articles, up to the first other word or the sentence's end."""
    found: list[str] = []
    doc = ctx.doc
    sentence = doc[i].sent if 0 <= i < len(doc) else None
    while sentence is not None and sentence.start <= i < sentence.end:
        named = ctx.named.get(i)
        if named:
            found += [a for a in named if a not in found]
        elif doc[i].lower_ not in LIST_CONNECTORS:
            break
        i += step
    return found


def _subject_ids(ctx: _Context, verb: Token) -> list[str]:
    """The actors named by the verb's subjects ('X and Y acted as guarantors', 'X is an alliance of ...')."""
    return [a for c in verb.children if c.dep_ in ACTIVE_SUBJECT for a in _phrase_ids(ctx, c)]


def _representatives(ctx: _Context, word: Token) -> list[str]:
    """'..., represented (respectively) by X, Y and Z': the people who act for the members named in the
    word's sentence; a person stands for themselves, not for the body they represent."""
    found: list[str] = []
    for verb in word.sent:
        if verb.lemma_.lower() not in ctx.config.representation_verbs or verb.i < word.i:
            continue
        for agent in (c for c in verb.children if c.dep_ == "agent"):
            for pobj in (c for c in agent.children if c.dep_ == "pobj"):
                found += [a for a in _phrase_ids(ctx, pobj) if a not in found]
    return found


def _members_introduced(ctx: _Context, word: Token, rule: CorefRule) -> list[str]:
    """The actors a collective word introduces: 'the co-chairs, X, Y and Z' or 'X and Y, the mediators'
    (a list in apposition), 'X and Y acted as guarantors', 'X and Y are the co-chairs', and for the words
    of the office ('the co-chairmanship of X and Y', 'mediated by X and Y') the list after 'of' or 'by';
    the people who represent them, when named, instead."""
    doc, start = ctx.doc, word_start(word)
    found: list[str] = []
    if word.i + 1 < len(doc) and doc[word.i + 1].text in LIST_OPENERS:
        found = _listed(ctx, word.i + 2, 1)
    before = start - 1 if start > 0 and doc[start - 1].lower_ in rule.determiners else start
    if not found and before >= 2 and doc[before - 1].text == ",":
        found = _listed(ctx, before - 2, -1)
    if not found and ((word.dep_ == "pobj" and word.head.lower_ == "as") or word.dep_ == "attr"):
        found = _subject_ids(ctx, word.head.head if word.dep_ == "pobj" else word.head)
    if not found and surface_forms(word) & rule.member_words:
        if word.i + 1 < len(doc) and doc[word.i + 1].lower_ == "of":
            found = _listed(ctx, word.i + 2, 1)
        found = found or [a for c in word.children if c.dep_ == "agent"
                          for o in c.children if o.dep_ == "pobj" for a in _phrase_ids(ctx, o)]
    representatives = _representatives(ctx, word) if found else []
    if any(prefix_of(a) in PERSON_PREFIXES for a in representatives):
        return representatives
    return found


def resolve_members(ctx: _Context, token: Token, rule: CorefRule) -> tuple[str, ...]:
    """'the co-chairs', 'the mediators', 'the guarantors': the members the article introduced in that role,
    at the descriptor itself or the nearest introduction before it ('the co-chairs - France, Russia and the
    United States -'; 'under the co-chairmanship of A and B'); nothing when the article introduces none."""
    for i in range(token.i, ctx.window_start(token, rule.window_sentences) - 1, -1):
        word = ctx.doc[i]
        if not surface_forms(word) & (rule.words | rule.member_words) or not ctx.visible(token, i):
            continue
        found = _members_introduced(ctx, word, rule)
        if found:
            return tuple(sorted(found))
    return ()


def resolve_collective(ctx: _Context, token: Token, rule: CorefRule) -> tuple[str, ...]:
    """'the Troika', 'the Quartet': the members of the grouping named there (`collectives`), when the
    article is about its process; the grouping stays the actor of the name itself."""
    here = ctx.named.get(token.i, [])
    for collective in ctx.config.collectives:
        if collective.id in here and collective.fits(doc_text(ctx.doc)):
            return tuple(sorted(collective.members))
    return ()


def resolve_described(ctx: _Context, token: Token, rule: CorefRule) -> tuple[str, ...]:
    """'the coalition', 'the alliance', 'the bloc': the actor the article described with that noun ('X, a
    coalition of four armed groups', 'X is an alliance of ...'), else the members it listed for an unnamed
    one ('an alliance of three armed groups, the X, the Y and the Z'), nearest first."""
    lemma = token.lemma_.lower()
    for i in range(token.i - 1, ctx.window_start(token, rule.window_sentences) - 1, -1):
        noun = ctx.doc[i]
        if noun.lemma_.lower() != lemma or i in ctx.named or not ctx.visible(token, i):
            continue
        found: list[str] = []
        if noun.dep_ == "appos":
            found = _phrase_ids(ctx, noun.head)
        elif noun.dep_ == "attr":
            found = _subject_ids(ctx, noun.head)
        for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of") if not found else ():
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                found = _phrase_ids(ctx, pobj)
                if not found and pobj.i + 1 < len(ctx.doc) and ctx.doc[pobj.i + 1].text in LIST_OPENERS:
                    found = _listed(ctx, pobj.i + 2, 1)
        found = [a for a in found if prefix_of(a) not in PERSON_PREFIXES]
        if found:
            return tuple(sorted(found))
    return ()

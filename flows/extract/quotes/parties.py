"""Documents and the parties that speak through them: which words are documents, a quotation set in a
document's relative clause ('the order of the court, which obliges X to "..."'), and the sides that
signatories sign for ('by the head of the government team, A, and the opposition's negotiator, B')."""

from __future__ import annotations

from spacy.tokens import Span, Token

from flows.extract.grammar import ANY_SUBJECT, RELATIVE_PRONOUNS
from flows.extract.quotes.context import ArticleContext, Candidate
from flows.extract.quotes.speakers import covering


def is_document(ctx: ArticleContext, token: Token) -> bool:
    return token.pos_ in ("NOUN", "PROPN") and token.lemma_.lower() in ctx.codebook.words["document_noun"]


def document_clause(ctx: ArticleContext, inner: Span) -> Token | None:
    """'the order of the court, which obliges X to "..."', 'the declaration signed by A and B, in which both
    men committed to "..."': a quotation inside a relative clause of a document is the document's words. The
    clause may hang from a phrase of the document ('of 17 November, which'); a cue inside the clause with a
    subject of its own ('the statement, in which X called it "..."') keeps its speaker."""
    inside = set(range(inner.start, inner.end))
    tops = [t for t in inner if t.head.i not in inside or t.head.i == t.i]
    if not tops:
        return None
    token = tops[0]
    for _ in range(10):
        if token.head.i == token.i:
            return None
        if ctx.cue_of(token) and any(c.dep_ in ANY_SUBJECT and c.lower_ not in RELATIVE_PRONOUNS
                                     for c in token.children):
            return None
        if token.dep_ == "relcl":
            return relative_document(ctx, token)
        token = token.head
    return None


def relative_document(ctx: ArticleContext, clause: Token) -> Token | None:
    """The document a relative clause opened by 'which' or 'that' (also 'in which', 'under which') is about,
    up through the phrases that hang from it (`document_phrase`: 'the declaration of principles signed by A
    and B, in which': the parser may hang the clause on B)."""
    relatives = ctx.codebook.words["document_clause"]
    opened = [t for t in clause.subtree if t.i < clause.i and t.lower_ in relatives
              and (t.head.i == clause.i or t.head.head.i == clause.i)]
    if not opened:
        return None
    antecedent = clause.head
    for _ in range(6):
        if is_document(ctx, antecedent) and not ctx.is_quoted(antecedent):
            return antecedent
        if antecedent.dep_ not in ctx.codebook.words["document_phrase"] or antecedent.head.i == antecedent.i:
            break
        antecedent = antecedent.head
    return document_before(ctx, opened[0])


def document_before(ctx: ArticleContext, relative: Token) -> Token | None:
    """'the order of the court of 3 May, which': when the parser hung the phrases on the verb, the document
    noun nearest before the relative word with no verb between them."""
    for token in reversed(ctx.doc[relative.sent.start:relative.i]):
        if ctx.is_quoted(token) or token.pos_ in ("VERB", "AUX"):
            return None
        if is_document(ctx, token):
            return token
    return None


def signing_parties(ctx: ArticleContext, verb: Token) -> list[Candidate]:
    """'signed by the head of the government delegation, A, and the opposition's chief negotiator, B', 'by
    envoy A, who headed the government side, and by members of the X front': the parties the
    signatories' delegations or offices belong to (a party word, `signing_party`, standing for the actor the
    article gave it to; the group whose leaders signed), when the phrase after 'by' names a party word."""
    words = ctx.codebook.words
    bys = [t for t in verb.subtree if t.lower_ == "by" and t.dep_ in ("agent", "prep") and not ctx.is_quoted(t)]
    if not bys:
        return []
    found: list[Candidate] = []
    worded = False
    for token in ctx.doc[bys[0].i:verb.sent.end]:
        if ctx.is_quoted(token):
            continue
        if token.lemma_.lower() in words["signing_party"] and token.pos_ == "NOUN":
            party = party_antecedent(ctx, token)
            worded = worded or bool(party)
            found += party
        elif token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.lemma_.lower() in words[
                "party_members"]:
            found += [c for c in covering(ctx, [token]) if c.is_person is False and c.kind != "anonymous"]
    found = list(dict.fromkeys(found))
    return found if worded else []


def party_antecedent(ctx: ArticleContext, word: Token) -> list[Candidate]:
    """'the government' or 'the opposition' as the article gave it an actor, here or before: 'the government
    of X' (a person: their state), 'X's government', 'the opposition X'."""
    lemma = word.lemma_.lower()
    for other in [word, *reversed([t for t in ctx.doc[:word.i] if t.lemma_.lower() == lemma])]:
        if ctx.is_quoted(other):
            continue
        attached = [c for c in other.children if c.dep_ in ("poss", "compound", "amod", "appos")]
        attached += [g for c in other.children if c.dep_ == "prep" and c.lower_ == "of"
                     for g in c.children if g.dep_ == "pobj"]
        attached += [other.head] if other.dep_ in ("compound", "amod", "nmod") else []
        following = ctx.doc[other.i + 1] if other.i + 1 < len(ctx.doc) else None
        attached += [following] if following is not None and following.pos_ == "PROPN" else []  # 'the opposition X'
        for candidate in covering(ctx, attached):
            if candidate.kind == "anonymous":
                continue
            if not candidate.is_person:
                return [candidate]
            state = next((c for c in ctx.candidates if c.kind == "state" and c.country == candidate.country
                          and candidate.country), None)
            if state is not None:
                return [state]
    return []


def proposer(ctx: ArticleContext, inner: Span) -> Token | None:
    """'X tabled a proposal for "..."', 'X's demand for "..."', 'a plan by X for "..."': the quoted words are
    what the proposal asks for, so its maker speaks them (the noun's possessor or agent, or the subject of
    the verb that put it forward, when that verb is not a cue of its own: 'Y rejected X's demand for')."""
    inside = set(range(inner.start, inner.end))
    tops = [t for t in inner if t.head.i not in inside]
    token = tops[0] if tops else None
    for _ in range(4):
        if token is None or ctx.cue_of(token) or token.head.i == token.i:
            return None
        if token.dep_ == "pobj" and token.head.lower_ in ctx.codebook.words["proposal_for"]:
            break
        token = token.head
    else:
        return None
    noun = token.head.head
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in ctx.codebook.words["proposal_noun"] or ctx.is_quoted(noun):
        return None
    owners = [c for c in noun.children if c.dep_ == "poss"]
    owners += [g for c in noun.children if c.dep_ in ("agent", "prep") and c.lower_ in ("by", "from")
               for g in c.children if g.dep_ == "pobj"]
    if owners:
        return owners[0]
    verb = noun.head
    if noun.dep_ != "dobj" or ctx.cue_of(verb):
        return None
    return next((c for c in verb.children if c.dep_ in ANY_SUBJECT), None)

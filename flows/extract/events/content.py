"""Content is not a second event: what an actor agrees, offers, asks, threatens or alleges ('urged both
sides to respect the truce', 'accused X of shelling Y', 'offered to resume talks with Z') belongs to
the event of agreeing, asking, threatening or accusing (types marked `absorbs_content` in the codebook).
The content's other parties become that event's target when it names none."""

from __future__ import annotations

from spacy.tokens import Token

from flows.extract.events.codebook import Codebook
from flows.extract.events.matching import Candidate
from flows.extract.events.syntax import bare_infinitive, conjuncts, dedupe, has_to, is_gerund_noun, speakers_next_act

CONTENT_DEPS = ("xcomp", "ccomp", "acl")
CONTENT_PREPOSITIONS = ("for", "of", "to", "on")
# The prepositions by which a noun of doing names its act ('the resumption of talks', 'a return to the talks').
NOUN_CONTENT_PREPOSITIONS = ("of", "to")
# The status cue of a standing act named as what an asked-for retreat would undo ('lift the siege').
UNDONE_CUE = "undone-by"
# Clauses below a threatened act that tell of something else: 'the offensive, which has killed 40,000'.
OWN_CLAUSE_DEPS = ("relcl", "appos", "parataxis")


def content_roots(word: Token) -> list[Token]:
    """The heads of a trigger's complement: its clausal complements (with their conjuncts), an infinitive
    parsed as an adverbial clause ('called on X to compel Y'), a gerund object ('proposed signing'), and
    the objects of 'for'/'of'/'to'/'on' ('called for talks')."""
    roots = [c for c in word.children if c.dep_ in CONTENT_DEPS or (c.dep_ == "dobj" and c.tag_ == "VBG")
             or (c.dep_ == "dobj" and is_gerund_noun(c)) or (c.dep_ == "advcl" and has_to(c))]
    roots += [o for prep in word.children if prep.dep_ == "prep" and prep.lower_ in CONTENT_PREPOSITIONS
              for o in prep.children if o.dep_ in ("pobj", "pcomp")]
    # 'urged X to release Y and called on Z to ...': the second urging is the speaker's own act, not content
    return [c for root in roots for c in conjuncts(root) if not speakers_next_act(c)]


def _noun_objects(noun: Token) -> list[Token]:
    """The act a noun of doing names: 'urged *the resumption* of talks', 'called for *a return* to the talks'."""
    if noun.pos_ != "NOUN":
        return []
    return [o for prep in noun.children if prep.dep_ == "prep" and prep.lower_ in NOUN_CONTENT_PREPOSITIONS
            for o in prep.children if o.dep_ == "pobj"]


def _object_content(cand: Candidate, codebook: Codebook) -> list[Token]:
    """What the agreement a verb acts on is about: 'struck a deal on a complete truce', 'reached an
    accord to withdraw'."""
    node = cand.nodes.get("object")
    if node is None or node.lemma_.lower() not in codebook.word("agreement_nouns"):
        return []
    return content_roots(node)


def act_words(root: Token) -> list[Token]:
    """A threatened act with all it governs, its own relative clauses aside: 'would crush *any attempt*',
    'will strike back *if India attacks*', 'will respond to *any attack*'."""
    found = [root]
    for child in root.children:
        if child.dep_ not in OWN_CLAUSE_DEPS:
            found += act_words(child)
    return found


def _content(cand: Candidate, codebook: Codebook) -> list[Token]:
    roots = content_roots(cand.head) + _object_content(cand, codebook)
    if codebook.absorbs_object(cand.event_type):
        roots += [c for c in cand.head.children if c.dep_ == "dobj" and c.pos_ == "NOUN"]
    if not codebook.absorbs_whole_act(cand.event_type):
        return roots
    return list({word.i: word for root in roots for word in act_words(root)}.values())


def absorb_content(candidates: list[Candidate], codebook: Codebook) -> None:
    """Mark the events that are an absorbing event's content. The content is the complement's head, or
    the event it takes as object or complement when the head is no trigger ('urged them to resume talks',
    'to stop sending ships'); an event
    the content acts on stays an event ('urged X to halt its air strikes': the strikes happen); a bare
    infinitive is the content of the verb it completes ('agreed to help Y fight the rebels')."""
    by_token = {i: c for c in candidates for i in (c.head.i, c.span.start)}
    for cand in candidates:
        # a request turned down still asked for what it asked ('rebuffed an appeal to open talks': no talks)
        disputed = cand.disputed and not codebook.is_addressed(cand.event_type)
        # a rule's content stays its content when a callback retypes it ('agreed to release': CONCEDE)
        absorbs = codebook.absorbs_content(cand.event_type) or codebook.absorbs_content(cand.rule.event_type)
        # an event standing beside another one's word ('X says Y attacked Z') leaves that event standing
        if cand.absorbed or disputed or not absorbs or cand.rule.beside \
                or not (cand.source or cand.target) \
                or any(not getattr(cand, role) for role in cand.rule.requires):
            continue
        for root in _content(cand, codebook):
            found = by_token.get(root.i)
            if found is None:
                objects = [c for c in root.children
                           if c.dep_ in ("dobj", "nsubjpass", "xcomp") or bare_infinitive(c)]
                objects += _noun_objects(root)
                found = next((by_token[o.i] for o in objects if o.i in by_token), None)
            if found is None or found is cand or found.absorbed:
                continue
            found.absorbed = True
            if not cand.target:
                cand.target = [a for a in dedupe(found.source + found.target) if a not in cand.source]
            if codebook.undoes(found.event_type):
                keep_undone(found, cand, candidates, codebook)


def _undone_words(content: Candidate) -> list[Token]:
    """What an asked-for retreat would undo: its object ('lift *the siege*') and the clauses that tell of
    that object ('pull back troops *massed on the border*', 'the checkpoint *it installed*'). An attributive
    participle ('jailed opposition leaders') describes a state, not an act."""
    head = content.nodes.get("object") or next(
        (c for c in content.head.children if c.dep_ in ("dobj", "nsubjpass")), None)
    if head is None:
        return []
    nouns = [head, *(c for c in head.children if c.dep_ == "appos")]
    return [*nouns, *(c for noun in nouns for c in noun.children if c.dep_ in ("acl", "relcl"))]


def keep_undone(content: Candidate, asker: Candidate, candidates: list[Candidate], codebook: Codebook) -> None:
    """'urged X to lift the siege of Y': the siege goes on. The act a requested or promised retreat would
    undo is an event of its own, occurred, done by the one who is to retreat."""
    by_head = {c.head.i: c for c in candidates}
    doers = content.source if content.source and not set(content.source) <= set(asker.source) else asker.target
    for word in _undone_words(content):
        act = by_head.get(word.i)
        if act is None or act is content or act is asker or act.event_type not in codebook.undoes(content.event_type):
            continue
        act.absorbed = False
        act.status, act.status_cue = "occurred", f"{UNDONE_CUE}:{content.rule.rule_id}"
        if not act.source or set(act.source) <= set(asker.source):
            act.source = [a for a in doers if a not in act.target]
        # the undone object suffers the act, unless a clause on it has a doer of its own ('it installed')
        if not act.target and not any(c.dep_ == "nsubj" for c in word.children):
            act.target = [a for a in content.target if a not in act.source]


def absorb_tolls(candidates: list[Candidate], codebook: Codebook) -> None:
    """'stormed the village, killing 100 residents', 'closed the road, cutting off supplies': the killing
    or the cut is the toll of the act of the same type it hangs from, not a second act."""
    acts = {c.head.i: c.event_type for c in candidates if not c.nominal}
    tolls = codebook.word("harm_verbs") | codebook.word("effect_participles")
    for cand in candidates:
        head = cand.head
        if not cand.nominal and head.dep_ in ("advcl", "conj") and head.tag_ == "VBG" \
                and head.lemma_.lower() in tolls and acts.get(head.head.i) == cand.event_type:
            cand.absorbed = True

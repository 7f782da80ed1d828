"""Nominal triggers and the verbs they hang from: 'held talks' lends the verb's subject to the talks,
'signed the agreement' folds the agreement into the signing, 'called for talks' makes the talks
hypothetical, 'X mediated talks' makes X a mediator of them."""

from __future__ import annotations

from spacy.tokens import Token

from flows.extract.events.codebook import Codebook
from flows.extract.events.matching import Candidate
from flows.extract.events.resolve import Resolver
from flows.extract.events.roles import verb_mediators
from flows.extract.events.syntax import (
    agent,
    dedupe,
    event_phrase_heads,
    governor,
    has_to,
    mediating_agent,
    prep_objects,
    subject,
)

THIRD_PARTY_VERB_ROLES = ("mediator", "host")
# Prepositions that set an event beside another one, never inside it.
CIRCUMSTANCES = ("prep:during", "prep:after", "prep:before", "prep:since", "prep:amid", "prep:despite",
                 "prep:following", "prep:until")
# Circumstances whose meeting the verb's subject took part in when it names two parties or more ('A and B
# made progress during talks', 'A and B agreed after two days of talks'), never a single speaker.
SHARED_CIRCUMSTANCES = ("prep:during", "prep:after", "prep:following")


def _note_modifiers(cand: Candidate, by_head: dict[int, Candidate], codebook: Codebook) -> None:
    """'talks mediated by X', 'the talks between A and B, which X hosted' fold the mediating verb into the
    talks (the parser may hang it from a party of the phrase); 'talks commenced' dates them."""
    for child in (c for head in event_phrase_heads(cand.head) for c in head.children):
        modifier = by_head.get(child.i)
        if modifier is not None and modifier.rule.third_party in THIRD_PARTY_VERB_ROLES and (
                child.dep_ in ("acl", "amod") or (child.dep_ == "relcl" and mediating_agent(child) is not None)):
            modifier.absorbed = True
    for child in cand.head.children:
        # not a content clause: 'allegations that guards opened fire' report another event
        if child.dep_ in ("acl", "relcl") and child.lemma_.lower() in codebook.word("occurrence_verbs") \
                and not has_to(child) and not any(c.dep_ == "mark" for c in child.children):
            cand.anchor = child


def asked_for(cand: Candidate, governing: Candidate, codebook: Codebook) -> None:
    """'called for talks' (hypothetical, the parties are the request's target), 'rejected talks' (negated)."""
    wanted = codebook.governed_status(governing.rule.event_type)
    if wanted is None or governing.rule.event_type == cand.rule.event_type:
        return
    if wanted == "negated" and codebook.is_statement(cand.rule.event_type):
        cand.disputed = True  # 'rejected the accusations that ...': they were made; what they allege is denied
        # 'turned down a request from X': made to the refuser ('rejected that demand' only refers back to one)
        if cand.source and not cand.target and codebook.is_addressed(cand.rule.event_type):
            cand.target = [a for a in governing.source if a not in cand.source]
        return
    cand.status = wanted
    cand.status_cue = f"governed-by:{governing.rule.rule_id}"
    if governing.rule.event_type == "REQUEST" and not governing.target:
        governing.target = dedupe(cand.source + cand.target)
    if governing.rule.event_type == "REJECT" and cand.rule.symmetric:
        cand.source = dedupe(cand.source + governing.source)


def _is_named_object(cand: Candidate, governing: Candidate) -> bool:
    """The noun is the object the governing rule's pattern asked for ('signed *the agreement*')."""
    node = governing.nodes.get("object")
    return node is not None and (node.i == cand.head.i or cand.span.start <= node.i < cand.span.end)


def _absorb_mediator(cand: Candidate, governing: Candidate, relation: str) -> bool:
    if cand.rule.third_party == "mediator" and governing.rule.third_party is None and relation.startswith("prep:"):
        governing.other = dedupe(governing.other + cand.other)
        cand.absorbed = True
        return True
    if governing.rule.third_party in THIRD_PARTY_VERB_ROLES and relation in ("dobj", "nsubjpass"):
        cand.other = dedupe(cand.other + governing.other)
        cand.source = dedupe(cand.source + governing.source)
        cand.anchor = governing.head
        governing.absorbed = True
        return True
    return False


def merge_into(cand: Candidate, governing: Candidate, relation: str) -> bool:
    """Fold the noun into the verb trigger it depends on, or the mediating verb into the noun."""
    if _absorb_mediator(cand, governing, relation):
        return True
    if relation in CIRCUMSTANCES:
        return False  # 'did not raise its alert level during China's drills': the drills are an event of their own
    same = governing.rule.event_type == cand.rule.event_type
    if governing.rule.keeps_object and not same:
        return False  # 'halted its air strikes': the strikes happened
    constrained = "object" in governing.nodes
    if not (same or (constrained and (relation in ("dobj", "nsubjpass") or _is_named_object(cand, governing)))):
        return False
    if cand.implicit_source and not (governing.source or governing.target or cand.source):
        governing.source = [a for a in cand.implicit_source if a not in governing.other]
        governing.implicit = True
    if same or not governing.source:
        governing.source = dedupe(governing.source + cand.source)
        joined = cand.target
    else:
        joined = cand.source + cand.target
    governing.other = dedupe(governing.other + cand.other)
    if not governing.rule.symmetric:
        governing.target = dedupe(governing.target + [a for a in joined if a not in governing.source])
    cand.absorbed = True
    governing.merged.append(cand)
    return True


def _borrow_subject(cand: Candidate, verb: Token, relation: str, resolver: Resolver, codebook: Codebook) -> None:
    """'A held talks with B', 'A and B made progress during talks': the verb's subject takes part."""
    actors = resolver.group(subject(verb)[0])
    if relation in SHARED_CIRCUMSTANCES and len(actors) < 2:
        actors = []
    if cand.has_between and not set(actors) & set(cand.source):
        cand.other = dedupe(cand.other + actors)
    else:
        cand.source = dedupe(cand.source + actors)
    if relation in SHARED_CIRCUMSTANCES:
        return
    cand.anchor = verb
    cand.other = dedupe(cand.other + verb_mediators(verb, resolver, codebook))
    partners = [a for o in prep_objects(verb, ("with",)) for a in resolver.group(o)]
    if cand.rule.symmetric:
        cand.source = dedupe(cand.source + partners)
    else:
        cand.target = dedupe(cand.target + [a for a in partners if a not in cand.source])


def _names_it(verb: Token) -> bool:
    """'called the truce a basic step': the verb names its object, it does not organise it."""
    return any(c.dep_ in ("oprd", "xcomp", "ccomp") for c in verb.children)


def _third_party_subject(cand: Candidate, verb: Token, relation: str, resolver: Resolver,
                         codebook: Codebook) -> bool:
    """'X mediated/hosted talks' puts X among the other actors; 'X organised talks between A and B' too;
    'the signing was witnessed by X' too."""
    lemma = verb.lemma_.lower()
    doer, passive = subject(verb)
    if lemma in codebook.word("mediator_verbs") and relation in ("dobj", "nsubjpass"):
        cand.other = dedupe(cand.other + resolver.group(agent(verb) if passive else doer))
    elif lemma in codebook.word("witness_verbs") and relation == "nsubjpass" and passive:
        # 'the signing was witnessed by X' (but 'Sudan witnessed fighting' names where it happened)
        cand.other = dedupe(cand.other + resolver.group(agent(verb)))
    elif lemma in codebook.word("organiser_verbs") and relation == "dobj" and not _names_it(verb):
        actors = resolver.group(doer)
        if cand.has_between:
            cand.other = dedupe(cand.other + actors)
        else:
            cand.source = dedupe(cand.source + actors)
    else:
        return False
    cand.anchor = verb
    return True


def _verb_parties(cand: Candidate, verb: Token, resolver: Resolver, codebook: Codebook) -> None:
    """'a meeting was held between A and B, mediated by C': the parser hangs the parties on the verb; 'the
    talks were attended by A and B': the agent of a verb of attendance takes part."""
    joined = [a for o in prep_objects(verb, ("between", "among", "with")) for a in resolver.group(o)]
    if subject(verb)[1] and verb.lemma_.lower() in codebook.word("attendance_verbs"):
        joined += resolver.group(agent(verb))
    if cand.rule.symmetric:
        cand.source = dedupe(cand.source + joined)
    cand.has_between = cand.has_between or bool(prep_objects(verb, ("between", "among")))
    cand.other = dedupe(cand.other + verb_mediators(verb, resolver, codebook))


def attach_nominal(cand: Candidate, by_head: dict[int, Candidate], resolver: Resolver, codebook: Codebook) -> None:
    """Link a nominal trigger to the verb it hangs from: merge with it, borrow its subject, or stand alone."""
    _note_modifiers(cand, by_head, codebook)
    if _merge_into_noun(cand, by_head):
        return
    verb, relation = governor(cand.head)
    claimed = _claimed_through_noun(cand.head, codebook)
    if claimed is not None:
        _borrow_subject(cand, claimed, "prep:for", resolver, codebook)
        return
    if verb is None:
        return
    governing = by_head.get(verb.i)
    if governing is not None and not governing.nominal:
        if relation in ("dobj", "prep:for", "prep:to"):
            asked_for(cand, governing, codebook)
        if merge_into(cand, governing, relation):
            return
        if codebook.is_statement(governing.rule.event_type) and relation in ("dobj", "nsubjpass"):
            return  # 'called the attack a war crime': who speaks of an event takes no part in it
    if not _third_party_subject(cand, verb, relation, resolver, codebook):
        _lend_subject(cand, verb, relation, resolver, codebook)
    cand.other = [a for a in cand.other if a not in cand.source]


def _claims(verb: Token, codebook: Codebook) -> bool:
    """'claimed responsibility', 'took credit': the verb owns the act its 'for' names."""
    return verb.lemma_.lower() in codebook.word("claim_verbs") and any(
        c.dep_ == "dobj" and c.lemma_.lower() in codebook.word("claim_nouns") for c in verb.children)


def _claimed_through_noun(noun: Token, codebook: Codebook) -> Token | None:
    """'claimed responsibility for the bombing' with 'for' hung on the noun: the claiming verb."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "for" or prep.head.dep_ != "dobj":
        return None
    verb = prep.head.head
    if prep.head.lemma_.lower() not in codebook.word("claim_nouns") or not _claims(verb, codebook) \
            or subject(verb)[1]:
        return None
    return verb


def _merge_into_noun(cand: Candidate, by_head: dict[int, Candidate]) -> bool:
    """'the suspension *of the talks* with X', 'the signing of the agreement': the event noun a nominal
    trigger names as what it acts on is folded into it, like the object of a verb."""
    prep = cand.head.head
    if cand.head.dep_ != "pobj" or prep.lower_ != "of" or prep.dep_ != "prep":
        return False
    governing = by_head.get(prep.head.i)
    if governing is None or not governing.nominal or not _is_named_object(cand, governing):
        return False
    return merge_into(cand, governing, "prep:of")


def _lend_subject(cand: Candidate, verb: Token, relation: str, resolver: Resolver, codebook: Codebook) -> None:
    lemma = verb.lemma_.lower()
    passive = subject(verb)[1]
    support = lemma in codebook.word("support_verbs")
    if relation in ("dobj", "prep:to", "prep:in", "prep:into", "prep:during") and not passive \
            and (support or relation == "prep:during"):
        _borrow_subject(cand, verb, relation, resolver, codebook)
    elif relation in SHARED_CIRCUMSTANCES and cand.rule.event_type == "CONSULT" and cand.rule.symmetric \
            and cand.rule.third_party is None and not passive:  # 'after mediation by X' is no meeting of theirs
        _borrow_subject(cand, verb, relation, resolver, codebook)
    elif relation in ("prep:with", "prep:in") and cand.rule.event_type == "ASSAULT" and not cand.rule.symmetric \
            and not passive and not cand.source:
        # 'X responded with air strikes', 'X took the town in an offensive': X is the attacker
        cand.source = resolver.group(subject(verb)[0])
        cand.anchor = verb
    elif relation == "prep:for" and not passive and _claims(verb, codebook):
        _borrow_subject(cand, verb, relation, resolver, codebook)  # 'took credit for the attack'
    elif not passive and ((relation == "prep:from" and lemma in codebook.word("absence_verbs"))
                          or (relation == "prep:of" and lemma in codebook.word("pull_out_verbs"))):
        # 'stayed away from the talks', 'pulled out of the summit': X's absence
        _borrow_subject(cand, verb, relation, resolver, codebook)
    elif relation == "prep:at" and cand.rule.symmetric and not passive:
        _borrow_subject(cand, verb, relation, resolver, codebook)  # 'agreed at a meeting in Moscow'
    elif relation == "prep:for" and cand.rule.event_type == "CONSULT" and (
            (lemma in codebook.word("motion_verbs") and not passive) or _present_at(verb, codebook)):
        _borrow_subject(cand, verb, relation, resolver, codebook)  # 'arrived in Luanda for talks with X'
    elif relation in ("nsubj", "nsubjpass"):
        occurring = verb if lemma in codebook.word("occurrence_verbs") or support else _raised_verb(verb, codebook)
        if occurring is not None:
            cand.anchor = occurring
            _verb_parties(cand, occurring, resolver, codebook)


def _present_at(verb: Token, codebook: Codebook) -> bool:
    """'is in Cairo for talks with X', 'is due in Ankara for talks', 'is expected in Baku for talks': who is
    at the place of the talks takes part in them."""
    if verb.lemma_.lower() not in codebook.word("presence_verbs"):
        return False
    holders = [verb, *(c for c in verb.children if c.dep_ == "acomp")]
    return any(c.dep_ == "prep" and c.lower_ in ("in", "at") for h in holders for c in h.children)


def _raised_verb(verb: Token, codebook: Codebook) -> Token | None:
    """'talks are due to resume', 'talks are expected to begin': the verb of occurrence the noun is the
    subject of, under the word that gives its status."""
    heads = [verb, *(c for c in verb.children if c.dep_ == "acomp")]
    return next((c for head in heads for c in head.children
                 if c.dep_ == "xcomp" and c.lemma_.lower() in codebook.word("occurrence_verbs")), None)

"""Role maps: the paths of a rule's frame (`schemas/plover.yaml`, section `frames`) turned into actors.

Each path is a small function of the trigger's parse; the map joins paths with `|` and falls back with
`||`. Voice is handled here once for every rule: for a passive verb `nsubj` is its 'by' agent and `dobj`
its subject, so 'A attacked B' and 'B was attacked by A' fill the same roles.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from flows.extract.coref import load_coref_config
from flows.extract.coref_parties import party_key
from flows.extract.events.codebook import Codebook
from flows.extract.events.matching import Candidate
from flows.extract.events.quoted import quote_at
from flows.extract.events.resolve import Resolver
from flows.extract.events.syntax import (
    agent,
    ccomp_subject,
    conjuncts,
    dedupe,
    event_phrase_heads,
    has_to,
    is_mediator_modifier,
    mediating_agent,
    phrase_tokens,
    prep_objects,
    shared_subject_tokens,
    subject,
    verb_above,
)
from flows.extract.events.telling import saying_verb

BETWEEN = ("between", "among")


def joint_preps(token: Token, codebook: Codebook) -> list[Token]:
    """'together with X', 'along with X': a 'with' that adds a mediator or host, not a party."""
    return [c for c in token.children if c.dep_ == "prep" and c.lower_ == "with"
            and any(d.lower_ in codebook.word("joint_adverbs") for d in c.children)]


class Paths:
    """The actors each path finds for one candidate, computed on demand."""

    def __init__(self, cand: Candidate, resolver: Resolver, codebook: Codebook) -> None:
        self.cand = cand
        self.resolver = resolver
        self.codebook = codebook
        self.word = cand.head
        if cand.nominal:
            self.subject, self.passive = None, False
        else:
            self.subject, self.passive = subject(self.word)

    def get(self, path: str) -> list[str]:
        if path.startswith("prep:"):
            return self.prep(path[5:])
        return PATHS[path](self)

    def group_all(self, heads: list[Token]) -> list[str]:
        return dedupe(a for head in heads for a in self.resolver.group(head))

    def direct(self) -> list[Token]:
        return [] if self.cand.nominal else [o for o in self.word.children if o.dep_ in ("dobj", "dative")]

    def of_objects(self) -> list[Token]:
        """What an event noun acts on: 'the suspension *of the talks* with X' (its direct object)."""
        return prep_objects(self.word, ("of",)) if self.cand.nominal else []

    def with_heads(self) -> list[Token]:
        heads = [self.word, *self.direct(), *self.of_objects()]
        joint = {p.i for h in heads for p in joint_preps(h, self.codebook)}
        # 'with Qatari mediators present', 'with the help of the ICRC': a third party, not a party
        return [o for h in heads for prep in h.children
                if prep.dep_ in ("prep", "agent", "dative") and prep.lower_ == "with" and prep.i not in joint
                for o in prep.children if o.dep_ == "pobj" and not is_third_party_noun(o)
                and o.lemma_.lower() not in self.codebook.word("mediation_nouns")]

    def prep(self, word: str) -> list[str]:
        if word == "with":
            return self.group_all(self.with_heads())
        heads = prep_objects(self.word, (word,))
        if word in BETWEEN:  # 'were released, among them X': X is one of those released, not a party
            heads = [h for h in heads if not self.member_mark(h.head)]
        if word == "by" and self.cand.nominal:
            # 'the expulsion of the ambassador by X', 'the delivery of tanks to Y by X', 'sanctions on Y by X':
            # the parser often hangs the agent on the object or the recipient
            heads += [b for o in prep_objects(self.word, ("of", "to", "on", "against"))
                      for b in prep_objects(o, ("by",))]
            # 'the imposition of sanctions on Y by X': the agent of the noun whose 'of' object the act is
            if self.word.dep_ == "pobj" and self.word.head.lower_ == "of" and self.word.head.head.pos_ == "NOUN":
                heads += prep_objects(self.word.head.head, ("by",))
            # 'the threats made by X', 'the complaints submitted by X': who made the act is its author
            heads += [by for c in self.word.children if c.dep_ == "acl"
                      and c.lemma_.lower() in self.codebook.word("authoring_verbs") and (by := agent(c)) is not None]
        if word in BETWEEN and self.passive and self.subject is not None:
            heads += prep_objects(self.subject, (word,))  # 'an agreement was reached between A and B'
        named = [] if word in BETWEEN else self.named_members(heads)  # 'sanctions on 20 officials, including X'
        if named:
            return named
        found = self.group_all(heads)
        if word in BETWEEN and found and set(found) <= set(self.clause_subject()):
            # 'A and B mediated talks between the two sides': the sides are not A and B
            self.resolver.unresolved = True
            return []
        return found

    def clause_subject(self) -> list[str]:
        """Actors of the active subject of the verb the trigger is or hangs from (not one containing it)."""
        verb = self.word if not self.cand.nominal else verb_above(self.word)
        if verb is None:
            return []
        doer, passive = subject(verb)
        if doer is None or passive or self.word in doer.subtree:
            return []
        return self.resolver.group(doer)

    def nsubj(self) -> list[str]:
        if self.cand.nominal:
            return modifier_parties(self.word, self.resolver, self.codebook)
        if self.passive:
            return self.resolver.group(agent(self.word))
        if self.subject is not None:
            return self.resolver.group(self.subject)
        return fallback_subject(self.word, self.resolver)

    def dobj(self) -> list[str]:
        heads = [self.subject] if self.passive and self.subject is not None else self.direct()
        named = self.named_members(heads)
        if named:
            return named
        if self.passive:
            return self.resolver.group(self.subject)
        return self.group_all(self.direct())

    def named_members(self, heads: list[Token]) -> list[str]:
        """'detained dozens of people, including opposition leader X': the named members of an object are
        the most specific actors it names (the parser hangs 'including' on the object, the verb or even the
        subject; it follows the object)."""
        clause = verb_above(self.word) if self.cand.nominal else self.word
        if clause is None or not heads:
            return []
        first = min(h.i for h in heads)
        marks = [t for t in clause.subtree if self.member_mark(t) and t.i > first and verb_above(t) == clause]
        return dedupe(a for mark in marks for o in mark.children if o.dep_ == "pobj" for a in self.resolver.group(o))

    def member_mark(self, token: Token) -> bool:
        """'including X', 'among them X': a preposition naming members of what precedes it (with the word
        that follows it when the class lists two words)."""
        if token.dep_ != "prep":
            return False
        words = self.codebook.word("member_prepositions")
        following = token.doc[token.i + 1].lower_ if token.i + 1 < len(token.doc) else ""
        return token.lower_ in words or f"{token.lower_} {following}" in words

    def object_prep(self, word: str) -> list[str]:
        """Objects of the preposition `word` on the verb's object (its subject when it is passive: 'aid to X was
        suspended'), or on a noun's 'of' object."""
        objects = [*self.direct(), *self.of_objects(), *([self.subject] if self.passive and self.subject else [])]
        return self.group_all([o for d in objects for p in d.children
                               if p.dep_ == "prep" and p.lower_ == word for o in p.children if o.dep_ == "pobj"])

    def object_aim(self) -> list[str]:
        """'threatened sanctions against X', 'warned of reprisals against X': whom the act a threat names as its
        object (or its 'of' object) is aimed at."""
        acts = [*self.direct(), *prep_objects(self.word, ("of", "with"))]
        return self.group_all([o for act in acts for o in prep_objects(act, ("against", "on"))])

    def object_author(self) -> list[str]:
        """'dismissed the plan put forward by X', 'rejected the accusations made by X': who asked, offered or
        accused what is turned down (the 'by' agent of a participle on an object of `authored_nouns`)."""
        authored = self.codebook.word("authored_nouns")
        makers = [agent(c) for o in self.direct() if o.lemma_.lower() in authored
                  for c in o.children if c.dep_ == "acl" and c.tag_ == "VBN"]
        return self.group_all([m for m in makers if m is not None])

    def object_to(self) -> list[str]:
        """'transferred 250 million kroner to X', 'handed over data to X', 'the resumption of aid to X': the
        recipient hangs on the object."""
        return self.object_prep("to")

    def approached(self) -> list[str]:
        """'sent warplanes and ships toward X': whom a move of forces heads for, on the verb or its objects."""
        heads = [self.word, *(c for d in self.direct() for c in conjuncts(d))]
        return self.group_all([o for h in heads for o in prep_objects(h, ("toward", "towards"))])

    def intermediaries(self) -> list[str]:
        """'released via the Red Cross', 'handed over to the ICRC': who passes the act on to its recipient is
        a go-between, never its target: objects of 'via'/'through' on the verb or its object, and recipients
        ('to X') that the word class intermediary_bodies names."""
        holders = [self.word, *self.direct()]
        passing = [o for h in holders for o in prep_objects(h, ("via", "through"))]
        bodies = self.codebook.word("intermediary_bodies")
        passing += [o for h in holders for o in prep_objects(h, ("to",))
                    if any(body in " ".join(t.lower_ for t in o.subtree) for body in bodies)]
        return self.group_all(passing)

    def own_forces(self) -> list[str]:
        """'Russian troops were withdrawn', 'Armenian reservists could be called up': told in the passive
        without 'by', the forces the rule's pattern names (its `object` node) belong to the doer."""
        forces = self.cand.nodes.get("object")
        if not self.passive or forces is None or self.subject is None or agent(self.word) is not None:
            return []
        # 'thousands of conscripts were called up': the forces hang from the subject by 'of'
        if self.subject.i not in (forces.i, forces.head.head.i if forces.head.lower_ == "of" else -1):
            return []
        return self.resolver.group(forces)

    def victim(self) -> list[str]:
        """Objects of an attack, without the towns and capitals hit ('shelled Kyiv' happened in Kyiv)."""
        heads = [self.subject] if self.passive and self.subject is not None else self.direct()
        places = self.places(heads)
        return [a for a in self.dobj() if a not in places]

    def places(self, heads: list[Token]) -> set[str]:
        """Actors that only name where an act happened: capitals ('shelled Kyiv'), 'the village of X'."""
        places = {str(m.value) for o in heads for t in conjuncts(o)
                  for m in self.resolver.index.actors.get(t.i, ()) if m.is_metonym}
        places |= {a for o in heads for t in conjuncts(o) if t.lemma_.lower() in self.codebook.word("territory_nouns")
                   for p in prep_objects(t, ("of",)) for a in self.resolver.group(p)}
        return places

    def has_doer(self) -> bool:
        """An event noun whose doer is named before it or by 'by': 'Russia's invasion of ...', 'the
        expulsion of ... by X'."""
        return self.cand.nominal and bool(self.nsubj() or self.prep("by"))

    def of_agent(self) -> list[str]:
        """'the withdrawal of Russian troops': 'of' names the doer when nothing else does."""
        return [] if self.has_doer() else self.prep("of")

    def of_patient(self) -> list[str]:
        """'Russia's invasion of Ukraine', 'the release of hostages by Hamas': with a doer named, 'of' names
        what is acted on (not the town where it happened: 'the shelling of Kharkiv by Russia')."""
        if not self.has_doer():
            return []
        places = self.places(prep_objects(self.word, ("of",)))
        return [a for a in self.prep("of") if a not in places]

    def mediators(self) -> list[str]:
        if self.cand.nominal:
            return modifier_mediators(self.word, self.resolver, self.codebook)
        heads = [self.word, *self.direct(), *self.with_heads(), *([self.subject] if self.subject is not None else [])]
        leaders = self.codebook.word("leader_participles")
        # 'the delegations, led by X, met': who leads a participant is a party (Resolver.leaders)
        found = [a for head in heads for child in head.children
                 if child.dep_ in ("advcl", "acl") and is_mediator_modifier(child)
                 and agent(child) is not None and (head is self.word or child.lemma_.lower() not in leaders)
                 for a in self.resolver.group(agent(child))]
        # 'rejected a Qatar-brokered plan': who brokered the proposal the act is about is another actor
        objects = [*self.direct(), *([self.subject] if self.passive and self.subject is not None else [])]
        found += [a for o in objects if o.lemma_.lower() in self.codebook.word("proposal_nouns")
                  for a in modifier_mediators(o, self.resolver, self.codebook)]
        return dedupe(found + prep_mediators(self.word, self.resolver, self.codebook))

    def joint(self) -> list[str]:
        return self.group_all([o for p in joint_preps(self.word, self.codebook)
                               for o in p.children if o.dep_ == "pobj"])

    def announced_acts(self) -> list[Token]:
        """The clauses naming the act a warning, threat or refusal is about ('warned that X will ...'; 'the
        threat to strike X': a noun's infinitive clause)."""
        return [c for c in self.word.children if c.dep_ in ("ccomp", "xcomp")
                or (self.cand.nominal and c.dep_ == "acl" and has_to(c))]

    def act_object(self) -> list[str]:
        """'warned that Israel will hit Hezbollah', 'ruled out meeting Abbas': whom the act a warning announces,
        or a refusal turns down, is aimed at; 'would launch an operation against the YPG': whom its object is."""
        acts = self.announced_acts()
        heads = [o for act in acts for o in act.children if o.dep_ in ("dobj", "dative")]
        aims = [o for act in acts + heads for o in prep_objects(act, ("against", "on"))]
        return self.group_all(heads + aims)

    def backed(self) -> list[str]:
        """'sent fighters to back X', 'deployed in support of X': the side the help is for, acted on by the
        pattern's `purpose` verb or named after its `of`."""
        nodes = [self.cand.nodes[name] for name in ("purpose", "of") if name in self.cand.nodes]
        return self.group_all([o for node in nodes for o in node.children if o.dep_ in ("dobj", "pobj")])

    def contributor(self) -> list[str]:
        """'Kenya's contingent of the regional force': the state that owns the pattern's `forces` node, not the
        force it serves in."""
        forces = self.cand.nodes.get("forces")
        return self.group_all([c for c in forces.children if c.dep_ == "poss"]) if forces is not None else []

    def condition_subject(self) -> list[str]:
        """'said Pakistan would strike back if India attacked': a threat made on a condition is aimed at
        the one whose act the condition names."""
        conditions = [c for act in self.announced_acts() for c in act.children if c.dep_ == "advcl"
                      and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)]
        return self.group_all([s for c in conditions for s in c.children if s.dep_ in ("nsubj", "nsubjpass")])

    def answerer(self) -> list[str]:
        """'lifted the ban despite appeals from X', 'withdrew the bill in response to demands from X', 'ignored
        calls from X': a demand the clause answers or defies was made to the clause's subject."""
        if not self.cand.nominal:
            return []
        words = self.codebook.word("answering_words")
        head = self.word.head
        answering = ((self.word.dep_ == "dobj" and head.lemma_.lower() in words)
                     or (self.word.dep_ == "pobj" and (head.lower_ in words or head.head.lemma_.lower() in words)))
        return self.clause_subject() if answering else []

    def visitor(self) -> list[str]:
        """'Erdogan said during a visit to Kyiv', 'Speaking after a visit to Ankara, Scholz urged ...': a visit
        told as the occasion of a clause, with no visitor of its own, is made by the clause's subject
        (word class occasion_prepositions; 'on' only before the subject: 'On a visit to Baku, Lavrov said',
        not 'Lavrov commented on the visit'), with whom the clause's subject deals there ('would raise it with
        Putin during a visit')."""
        if not self.cand.nominal or self.word.dep_ != "pobj":
            return []
        prep = self.word.head
        if prep.lower_ == "of":
            prep = prep.head
        verb = verb_above(self.word)
        doer, passive = subject(verb) if verb is not None else (None, False)
        fronted = doer is not None and prep.i < doer.i
        if prep.lower_ not in self.codebook.word("occasion_prepositions") and not (prep.lower_ == "on" and fronted):
            return []
        visitors = self.clause_subject()
        # 'with X' on the verb or on its object ('raise the deal with X')
        holders = [verb, *(c for c in verb.children if c.dep_ == "dobj")] if visitors and verb is not None else []
        partners = self.group_all([o for h in holders for o in prep_objects(h, ("with",))])
        return dedupe(visitors + partners)

    def demander(self) -> list[str]:
        """'lifted the ban in response to calls from X', 'at the request of X', 'under pressure from X': an act
        that gives in to a demand is made to whoever asked (not 'despite calls from X', which defies it)."""
        if self.cand.nominal:
            return []
        yielding, demands = self.codebook.word("yielding_words"), self.codebook.word("yielded_nouns")
        # 'bowing to demands from X', 'heeding calls from X': a participle of yielding on the act
        bowing = [c for c in self.word.children if c.dep_ == "advcl" and c.lemma_.lower() in yielding]
        nouns = [o for h in [self.word, *bowing] for p in h.children if p.dep_ == "prep" for o in p.children
                 if o.dep_ in ("pobj", "pcomp") and o.lemma_.lower() in yielding]
        nouns += [o for b in bowing for o in [*prep_objects(b, ("to",)), *(c for c in b.children if c.dep_ == "dobj")]]
        asked = [d for n in nouns for d in [n, *prep_objects(n, ("to",))] if d.lemma_.lower() in demands]
        askers = [o for d in asked for o in prep_objects(d, ("from", "of", "by"))]
        return self.group_all(askers + [c for d in asked for c in d.children if c.dep_ == "poss"])

    def claimant(self) -> list[str]:
        """'rejected a report by X', 'denied that ..., calling X's report baseless': a denial answers whoever made
        the claim it dismisses (the parser hangs the participle on the denial or on its content clause)."""
        if self.cand.nominal:
            return []
        clauses = [self.word, *(c for c in self.word.children if c.dep_ == "ccomp")]
        dismissals = [c for h in clauses for c in h.children
                      if c.dep_ == "advcl" and c.lemma_.lower() in self.codebook.word("dismissal_verbs")]
        claims = [o for h in [self.word, *dismissals] for o in h.children
                  if o.dep_ == "dobj" and o.lemma_.lower() in self.codebook.word("claimed_nouns")]
        found = [a for c in claims for m in c.children if m.dep_ in ("poss", "compound", "amod", "nmod") and m.i < c.i
                 for a in (self.resolver.group(m) if m.dep_ == "poss" else self.resolver.mention_ids(m.subtree))]
        return dedupe(found + self.group_all([o for c in claims for o in prep_objects(c, ("by", "from", "of"))]))

    def speaker(self) -> list[str]:
        """'X claimed (that) Y violated the truce': the subject of the verb of saying."""
        saying = saying_verb(self.word, self.codebook)
        return self.resolver.group(subject(saying)[0]) if saying is not None else []

    def quoter(self) -> list[str]:
        """'"All parties must stop the violence," the chair's statement reads': who speaks the quotation holding
        the word (a spokesperson speaks for the body it names)."""
        quote = quote_at(self.resolver.index.quotes, self.word.idx)
        if quote is None or quote.speaker is None:
            return []
        return [quote.affiliation] if quote.spokesman and quote.affiliation else [quote.speaker]

    def condition_setter(self) -> list[str]:
        """'Washington would recognise X only if it protected minorities': who sets a condition is the subject of
        the clause it conditions."""
        if self.word.dep_ != "advcl":
            return []
        doer, passive = subject(self.word.head)
        return [] if passive else self.resolver.group(doer)

    def teller(self) -> list[str]:
        """'X said after talks with Y', 'speaking after talks with Y, X said': who tells of the talks in the
        adjunct of the verb of saying (the pattern's node `speech`) took part in them; a participial opener
        lends the subject of the clause it opens."""
        speech = self.cand.nodes.get("speech")
        if speech is None:
            return []
        if speech.dep_ == "advcl" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in speech.children):
            speech = speech.head  # 'X urged Y to return, speaking after ...': X, wherever the parser hangs it
            while speech.dep_ == "xcomp":
                speech = speech.head
        doer, passive = subject(speech)
        return [] if passive else self.resolver.group(doer)


PATHS: dict[str, Callable[[Paths], list[str]]] = {
    "nsubj": Paths.nsubj,
    "dobj": Paths.dobj,
    "object_to": Paths.object_to,
    "object_from": lambda p: p.object_prep("from"),
    "object_for": lambda p: p.object_prep("for"),
    "object_aim": Paths.object_aim,
    "object_author": Paths.object_author,
    "intermediaries": Paths.intermediaries,
    "own_forces": Paths.own_forces,
    "victim": Paths.victim,
    "approached": Paths.approached,
    "of_agent": Paths.of_agent,
    "of_patient": Paths.of_patient,
    "agent": lambda p: [] if p.cand.nominal else p.resolver.group(agent(p.word)),
    "ccomp_subject": lambda p: p.resolver.group(ccomp_subject(p.word)),
    "speaker": Paths.speaker,
    "quoter": Paths.quoter,
    "teller": Paths.teller,
    "condition_setter": Paths.condition_setter,
    "act_object": Paths.act_object,
    "backed": Paths.backed,
    "contributor": Paths.contributor,
    "condition_subject": Paths.condition_subject,
    "answerer": Paths.answerer,
    "demander": Paths.demander,
    "visitor": Paths.visitor,
    "claimant": Paths.claimant,
    "mediators": Paths.mediators,
    "joint": Paths.joint,
    "recipients": lambda p: promised_recipients(p.word, p.resolver),
    "origin": lambda p: p.prep("from") if p.passive else [],
}


def fill_roles(cand: Candidate, resolver: Resolver, codebook: Codebook) -> None:
    """Source, target and other actors of a candidate from its rule's role map."""
    paths = Paths(cand, resolver, codebook)
    filled: dict[str, list[str]] = {}
    for role, tiers in cand.rule.roles.items():
        found: list[str] = []
        for tier in tiers:
            found = dedupe(a for path in tier for a in paths.get(path))
            if found:
                break
        filled[role] = found
    cand.has_between = bool(prep_objects(cand.head, BETWEEN))
    source, target = filled.get("source", []), filled.get("target", [])
    if cand.rule.symmetric:
        source, target = dedupe(source + target), []
    cand.source = source
    own = {party_key(a) or a for a in source}
    # 'Eritrean soldiers were pulled out by Asmara': a state's own troops are not its target
    # 'handed the hostages over to the ICRC': a go-between the role map names is not the recipient
    names_passing = any("intermediaries" in tier for tier in cand.rule.roles.get("other", ()))
    passing = set(paths.intermediaries()) if names_passing else set()
    cand.target = [a for a in target if a not in source and (party_key(a) or a) not in own and a not in passing]
    cand.other = [a for a in filled.get("other", []) if a not in source]


def fallback_subject(verb: Token, resolver: Resolver) -> list[str]:
    """A named actor right before a verb the parser left without subject ('Getachew accused ...')."""
    for child in verb.lefts:
        if child.dep_ not in ("prep", "advmod", "mark", "punct", "advcl", "ccomp", "npadvmod", "cc"):
            found = resolver.mention_ids(phrase_tokens(child))
            if found:
                return found
    return []


def mediator_span(modifier: Token) -> list[Token]:
    """The words of a mediating participle with whom it names: 'U.S.-brokered', and 'African Union-brokered',
    which the parser splits into 'African' on the noun and 'Union-brokered'."""
    tokens = list(modifier.subtree)
    if not any(t.tag_ == "HYPH" for t in tokens):
        return tokens
    start = tokens[0].i
    while start > 0 and modifier.doc[start - 1].pos_ == "PROPN":
        start -= 1
    return [*modifier.doc[start:tokens[0].i], *tokens]


def _mediating_modifiers(noun: Token) -> list[Token]:
    """'US-mediated talks', 'talks mediated by X', 'the talks, which X hosted' (an object relative clause)."""
    return [c for c in noun.children if is_mediator_modifier(c) and (
        c.dep_ in ("amod", "compound", "acl", "npadvmod") or (c.dep_ == "relcl" and mediating_agent(c) is not None))]


def modifier_parties(noun: Token, resolver: Resolver, codebook: Codebook) -> list[str]:
    """Parties named inside the event noun phrase: 'Azerbaijan-Armenia talks', 'Baku's offensive'; never the
    mediator of 'the African Union-brokered deal'."""
    found: list[str] = []
    mediating = {t.i for m in _mediating_modifiers(noun) for t in mediator_span(m)}
    for child in noun.children:
        if child.dep_ not in ("poss", "compound", "amod", "nmod") or child.i > noun.i or child.i in mediating:
            continue
        if any(is_mediator_modifier(t) for t in child.subtree):
            continue
        found += resolver.group(child) if child.dep_ == "poss" else resolver.mention_ids(phrase_tokens(child))
    return dedupe(found)


def modifier_mediators(noun: Token, resolver: Resolver, codebook: Codebook) -> list[str]:
    """'US-mediated talks', 'talks mediated by X', 'a negotiation (between A and B) accompanied by X', 'talks
    under EU auspices'; the participle may hang on the noun's argument: 'the return of children to their
    families, facilitated by X'."""
    found: list[str] = []
    for head in event_phrase_heads(noun):
        for child in _mediating_modifiers(head):
            by = mediating_agent(child)
            found += resolver.group(by) if by is not None else resolver.mention_ids(mediator_span(child))
    return dedupe(found + mediation_phrases(noun, resolver, codebook))


def promised_recipients(word: Token, resolver: Resolver) -> list[str]:
    """'willingness to provide assistance to A and B': the promise is directed at A and B."""
    found: list[str] = []
    for child in word.children:
        if child.dep_ in ("acl", "xcomp") and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
            for i in sorted(shared_subject_tokens(child)):
                token = word.doc[i]
                if token.dep_ == "dative" or (token.dep_ == "pobj" and token.head.lower_ == "to"):
                    found += resolver.group(token)
    return dedupe(found)


def verb_mediators(verb: Token, resolver: Resolver, codebook: Codebook) -> list[str]:
    """'..., mediated by X' / 'accompanied by X' hanging from the verb; 'under an accord mediated by X';
    ', with X acting as mediator' (on the verb or its infinitive: 'agreed to reopen the road, with X ...')."""
    found = [a for child in verb.children
             if child.dep_ in ("advcl", "acl") and is_mediator_modifier(child) and agent(child)
             for a in resolver.group(agent(child))]
    return dedupe(found + prep_mediators(verb, resolver, codebook))


def prep_mediators(verb: Token, resolver: Resolver, codebook: Codebook) -> list[str]:
    """Mediators in the verb's prepositional phrases (or its infinitive's, or their objects'): 'at talks
    hosted by X', 'with X acting as mediator', 'under Saudi mediation', 'in the presence of X'."""
    found: list[str] = []
    clauses = [verb, *(c for c in verb.children if c.dep_ in ("advcl", "xcomp"))]
    for holder in clauses:
        for prep in (c for c in holder.children if c.dep_ == "prep"):
            found += _acting_third_party(prep, resolver, codebook)
            if prep.lower_ not in codebook.word("frame_prepositions"):
                continue
            for noun in (c for c in prep.children if c.dep_ == "pobj" and c.pos_ == "NOUN"):
                found += modifier_mediators(noun, resolver, codebook)
    for holder in [*clauses, *(o for c in clauses for o in c.children if c is not verb and o.dep_ == "dobj")]:
        found += mediation_phrases(holder, resolver, codebook)
    return found


def mediation_phrases(holder: Token, resolver: Resolver, codebook: Codebook) -> list[str]:
    """Third parties named by a phrase of mediation on a word: 'under Saudi and American mediation', 'after
    mediation by X', 'under the auspices of X', 'in the presence of X', 'with Qatari mediators present'."""
    found: list[str] = []
    for prep in (c for c in holder.children if c.dep_ == "prep"
                 and c.lower_ in codebook.word("mediation_prepositions")):
        for noun in (c for c in prep.children if c.dep_ == "pobj" and c.pos_ == "NOUN"):
            # 'after weeks of Turkish mediation': the mediation is what the period is of
            for held in [noun, *prep_objects(noun, ("of",))]:
                found += mediation_noun_actors(held, resolver, codebook)
        if prep.lower_ == "with":  # 'with Egyptian and Qatari mediators shuttling between the delegations'
            found += [a for acting in prep.children if acting.dep_ == "pcomp" for doer in acting.children
                      if doer.dep_ == "nsubj" and is_third_party_noun(doer)
                      for a in resolver.group(doer)]
    return dedupe(found)


def is_third_party_noun(token: Token) -> bool:
    """'mediators', 'observers', 'guarantor': a noun that makes whom it names a third party."""
    return token.pos_ == "NOUN" and token.lemma_.lower() in load_coref_config().third_party_nouns


def mediation_noun_actors(noun: Token, resolver: Resolver, codebook: Codebook) -> list[str]:
    """Who mediates by a noun of mediation ('Qatar's mediation', 'US mediation', 'the auspices of X',
    'mediation by X'), or who a third-party noun names ('Qatari mediators')."""
    if is_third_party_noun(noun):
        return resolver.group(noun)
    if not {noun.lemma_.lower(), noun.lower_} & codebook.word("mediation_nouns"):
        return []
    found = [a for c in noun.children if c.dep_ == "poss" for a in resolver.group(c)]
    found += [a for c in noun.children if c.dep_ in ("amod", "compound", "nmod") and c.i < noun.i
              for t in conjuncts(c) for a in resolver.mention_ids(phrase_tokens(t))]
    found += [a for o in prep_objects(noun, ("of", "by")) for a in resolver.group(o)]
    return dedupe(found)


def _acting_third_party(prep: Token, resolver: Resolver, codebook: Codebook) -> list[str]:
    """'with X acting as mediator': X, when the role is a third party's (guarantor, host, mediator ...)."""
    if prep.lower_ != "with":
        return []
    return [a for acting in prep.children if acting.dep_ == "pcomp"
            for role in prep_objects(acting, ("as",)) if role.lemma_.lower() in load_coref_config().third_party_nouns
            for actor in acting.children if actor.dep_ == "nsubj" for a in resolver.group(actor)]

"""Grammar helpers over the spaCy parse that every part of the event interpreter shares: subjects and
agents through coordination and control, prepositional objects, clauses, sentences and lines."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from spacy.tokens import Doc, Token

from flows.extract.events.codebook import words
from flows.extract.grammar import (
    ACTIVE_SUBJECT,
    ANY_SUBJECT,
    EMBEDDED_CLAUSE,
    OBJECT,
    PASSIVE_SUBJECT,
    RELATIVE_POSSESSIVES,
    RELATIVE_PRONOUNS,
    SHARED_PREPOSITIONS,
)

CONJ_VERB_POS = ("VERB", "AUX")
NOUN_POS = ("NOUN", "PROPN")
SENTENCES_KEY = "accord.events.sentences"
LINE_ENDS_KEY = "accord.events.line_ends"
CLAUSES_KEY = "accord.events.clauses"
HEADS_KEY = "accord.events.heads"
# Labels through which a complement inherits its governor's status ('expected *to meet*').
COMPLEMENT_DEPS = ("xcomp", "acomp", "pcomp", "csubj", "acl", "auxpass")
# Labels through which a verb inherits its governor's subject ('A met B and *signed* a deal').
SUBJECT_INHERITING_DEPS = ("xcomp", "conj", "advcl", "acomp", "ccomp", "pcomp")


def dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def conjuncts(token: Token) -> list[Token]:
    """The token and its coordinated tokens ('Armenia and Azerbaijan'), also when a shared preposition is
    repeated ('the delegations of A and of B', 'signed by A and by B') or an apposition cuts the
    coordination short ('A, the head of B, and C': the parser hangs C on the apposition)."""
    found = [token, *[c for c in token.conjuncts if c.i != token.i]]
    found += [c for t in list(found) for appos in t.children if appos.dep_ == "appos"
              for c in appos.conjuncts if c.i != appos.i and after_closed_apposition(c)]
    prep = token.head
    if token.dep_ == "pobj" and prep.lower_ in SHARED_PREPOSITIONS:
        found += [o for p in prep.conjuncts if p.lower_ == prep.lower_ for o in p.children if o.dep_ == "pobj"]
    return found


def after_closed_apposition(conjunct: Token) -> bool:
    """'A, the head of B, and C': C follows a comma that closes the apposition, then the conjunction; in
    'A, the head of B and of C' the apposition goes on."""
    start = conjunct.left_edge.i
    doc = conjunct.doc
    return start >= 2 and doc[start - 1].dep_ == "cc" and doc[start - 2].text == ","


def prep_objects(token: Token, prepositions: Iterable[str]) -> list[Token]:
    """Objects of the given prepositions attached to the token ('talks *with* X', 'between X and Y')."""
    wanted = set(prepositions)
    found = []
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ in wanted:
            found.extend(c for c in child.children if c.dep_ == "pobj")
    return found


def sentence_bounds(token: Token) -> tuple[int, int]:
    """Start and end token of the token's sentence, computed once per doc (Token.sent is linear)."""
    doc = token.doc
    bounds = doc.user_data.get(SENTENCES_KEY)
    if bounds is None or len(bounds) != len(doc):
        bounds = [(0, 0)] * len(doc)
        for sent in doc.sents:
            for i in range(sent.start, sent.end):
                bounds[i] = (sent.start, sent.end)
        doc.user_data[SENTENCES_KEY] = bounds
    return bounds[token.i]


def window_start(token: Token, sentences_back: int) -> int:
    """First token of the sentence `sentences_back` sentences before the token's."""
    start = sentence_bounds(token)[0]
    for _ in range(sentences_back):
        if start == 0:
            break
        start = sentence_bounds(token.doc[start - 1])[0]
    return start


def line_ends(doc: Doc) -> list[bool]:
    """Whether each token ends a line (holds a line break or is followed by one), read once per doc."""
    ends = doc.user_data.get(LINE_ENDS_KEY)
    if ends is None or len(ends) != len(doc):
        ends = doc.user_data[LINE_ENDS_KEY] = ["\n" in t.text or "\n" in t.whitespace_ for t in doc]
    return ends


def head_indexes(doc: Doc) -> list[int]:
    """The index of each token's head, read once per doc."""
    heads = doc.user_data.get(HEADS_KEY)
    if heads is None or len(heads) != len(doc):
        heads = doc.user_data[HEADS_KEY] = [t.head.i for t in doc]
    return heads


def line_range(token: Token) -> range:
    """The part of the token's sentence on the same line: headlines and captions are not one sentence."""
    sent_start, sent_end = sentence_bounds(token)
    start, end = sent_start, sent_end
    ends = line_ends(token.doc)
    for i in range(token.i - 1, sent_start - 1, -1):
        if ends[i]:
            start = i + 1
            break
    for i in range(token.i, sent_end):
        if ends[i]:
            end = i + 1
            break
    return range(start, end)


def phrase_tokens(token: Token) -> list[Token]:
    """A modifier's own words, without clauses or prepositional phrases hanging from it."""
    found = [token]
    for child in token.children:
        if child.dep_ not in EMBEDDED_CLAUSE and child.dep_ not in ("prep", "agent", "conj", "cc"):
            found += phrase_tokens(child)
    return found


def in_subject(token: Token) -> bool:
    """The token is (inside) the subject of its clause."""
    for ancestor in [token, *token.ancestors]:
        if ancestor.dep_ in ACTIVE_SUBJECT:
            return True
        if ancestor.pos_ in CONJ_VERB_POS:
            return False
    return False


def is_mediator_modifier(token: Token) -> bool:
    """'mediated', 'hosted', or a hyphenated 'US-mediated' / 'U.S.-brokered' word."""
    if token.pos_ not in ("VERB", "ADJ", "NOUN", "PROPN"):
        return False
    if token.lemma_.lower() in words("mediator_modifiers") and token.pos_ == "VERB":
        return True
    return "-" in token.lower_ and token.lower_.rsplit("-", 1)[1] in words("mediator_participles")


def is_verb(token: Token) -> bool:
    return token.pos_ in CONJ_VERB_POS


def verb_above(token: Token) -> Token | None:
    for ancestor in token.ancestors:
        if ancestor.pos_ in CONJ_VERB_POS:
            return ancestor
    return None


def is_gerund_noun(token: Token) -> bool:
    return token.pos_ == "NOUN" and token.lower_.endswith("ing") and any(c.dep_ == "dobj" for c in token.children)


def has_to(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def purpose_infinitive(verb: Token) -> bool:
    """'... to hammer out a deal', 'efforts to secure peace': an aim, not a fact. Under a 'be' with a
    subject ('Were Baku to sign, ...', 'the army was to withdraw') the infinitive is the clause's own act."""
    if verb.head.lemma_ == "be" and any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.head.children):
        return False
    if verb.dep_ == "acl" and disowned_intent(verb.head):
        return False  # 'has no plans to withdraw': the holder's own act, which no one intends
    if has_to(verb) and verb.dep_ in ("advcl", "acl", "relcl"):
        return True
    # 'sent helicopters to help its army fight the gangs': the act the aim governs is part of the aim
    return verb.dep_ in ("ccomp", "xcomp") and not has_to(verb) and verb.head is not verb \
        and purpose_infinitive(verb.head)


def after_motion(verb: Token) -> bool:
    """'will travel to X *to meet* Y': a purpose clause after a verb of going plans the event."""
    return purpose_infinitive(verb) and verb.head.lemma_.lower() in words("motion_verbs")


def agent(verb: Token) -> Token | None:
    objects = prep_objects(verb, ("by",))
    return objects[0] if objects else None


def mediating_agent(modifier: Token) -> Token | None:
    """Who a mediating clause names: the 'by' agent ('talks hosted by X'), or the subject of a relative
    clause whose pronoun is what it mediates ('the talks, which Qatar hosted')."""
    found = agent(modifier)
    if found is not None or modifier.dep_ != "relcl":
        return found
    if not any(c.dep_ in OBJECT and c.lower_ in RELATIVE_PRONOUNS for c in modifier.children):
        return None
    return next((c for c in modifier.children if c.dep_ in ACTIVE_SUBJECT and c.lower_ not in RELATIVE_PRONOUNS), None)


def stranded_prep_objects(noun: Token, preps: tuple[str, ...]) -> list[Token]:
    """Objects of a preposition right after the noun's phrase that the parser hung on the noun's verb
    ('met government negotiators from Colombia', 'accused the junta in Guinea of ...')."""
    following = noun.right_edge.i + 1
    if noun.dep_ not in OBJECT or following >= len(noun.doc):
        return []
    prep = noun.doc[following]
    if prep.dep_ != "prep" or prep.lower_ not in preps or prep.head != noun.head:
        return []
    return [c for c in prep.children if c.dep_ == "pobj"]


def event_phrase_heads(noun: Token) -> list[Token]:
    """The event noun and the parties its phrase names ('talks between A and B'), from which the parser may
    hang a clause that tells of the event itself ('talks between A and B, hosted by X')."""
    return [noun, *[c for h in prep_objects(noun, ("between", "with", "of", "to")) for c in conjuncts(h)]]


def agentless_passive(verb: Token) -> bool:
    """'two hostages were freed on Sunday': a passive verb of its own (with its 'be') and no 'by' agent, so
    the text does not say who acted."""
    return is_verb(verb) and any(c.dep_ == "auxpass" for c in verb.children) and agent(verb) is None


def subject(verb: Token) -> tuple[Token | None, bool]:
    """The verb's subject (and whether it is a passive subject), inherited through conj/xcomp/relcl."""
    current = verb
    for _ in range(6):
        found = _own_subject(current, verb)
        if found is not None:
            return found
        nxt = _subject_step(current)
        if nxt is None:
            break
        current = nxt
    return None, False


def _own_subject(current: Token, verb: Token) -> tuple[Token | None, bool] | None:
    subjects = [c for c in current.children if c.dep_ in ACTIVE_SUBJECT]
    if subjects:
        nearest = min(subjects, key=lambda c: abs(current.i - c.i))
        if nearest.lower_ in RELATIVE_PRONOUNS and current.dep_ == "relcl" and current.head.pos_ in NOUN_POS:
            return current.head, False  # 'Qatar and Egypt, which mediated the deal'
        return nearest, False
    for child in current.children:
        if child.dep_ in PASSIVE_SUBJECT:
            return child, current is verb
    if current.dep_ == "xcomp" and current.head.lemma_.lower() in words("object_control_verbs"):
        objects = [c for c in current.head.children if c.dep_ == "dobj"]
        if objects:
            return objects[0], False
    if current.dep_ == "relcl" and current.head.pos_ in NOUN_POS:
        return current.head, False
    if current.dep_ == "acl" and current.tag_ == "VBN" and current.head.pos_ in NOUN_POS:
        if misparsed_main_verb(current):
            return current.head, False
        return current.head, current is verb  # 'the declaration signed by A': a passive participle
    controller = object_controller(current)
    return (controller, False) if controller is not None else None


def disowned_intent(noun: Token) -> bool:
    """'no plans', 'no intention': a noun of intent its holder denies having."""
    return noun.lemma_.lower() in words("intention_nouns") and any(
        c.dep_ == "det" and c.lower_ in ("no", "neither") for c in noun.children)


def _intent_held(token: Token) -> bool:
    """The infinitive of a disowned intent ('no plans to withdraw') or the noun itself as a verb's object
    ('has no intention of releasing'): the one who holds the intent is the subject to look for."""
    if token.dep_ == "acl" and disowned_intent(token.head):
        return True
    return token.dep_ == "dobj" and disowned_intent(token) and token.head.pos_ in CONJ_VERB_POS


def _subject_step(current: Token) -> Token | None:
    """Where to look for the subject next: the main clause of a conjunct, complement or adverbial clause."""
    if misattached_conjunct(current):
        return verb_above(current.head) or current.head
    if speakers_next_act(current):
        return current.head.head
    if _intent_held(current):
        return current.head  # 'Israel has no plans to withdraw': the holder of the plan would act
    gerund_object = current.dep_ == "dobj" and is_gerund_noun(current)
    if (current.dep_ in SUBJECT_INHERITING_DEPS or gerund_object) and current.head is not current:
        head = current.head
        if head.pos_ not in CONJ_VERB_POS and head.dep_ == "acomp":
            head = head.head
        return head
    if current.dep_ == "prep" or current.pos_ == "ADP":
        head = current.head
        if head.dep_ == "advmod" and head.pos_ == "ADV" and head.head.pos_ in CONJ_VERB_POS:
            return head.head  # 'stopped short of threatening X': the verb the adverb modifies
        return head
    return None


def relative_antecedent(pronoun: Token) -> Token | None:
    """'Rwanda, whose troops patrol ...': the noun the relative clause holding 'whose' hangs from."""
    if pronoun.lower_ not in RELATIVE_POSSESSIVES:
        return None
    clause = next((a for a in pronoun.ancestors if a.dep_ == "relcl"), None)
    return clause.head if clause is not None and clause.head.pos_ in NOUN_POS else None


def relative_object_antecedent(pronoun: Token) -> Token | None:
    """'the attaché, whom it accused of spying', 'the town, which the rebels seized': the noun a relative
    pronoun that is the clause's object stands for."""
    if pronoun.lower_ not in RELATIVE_PRONOUNS or pronoun.dep_ not in OBJECT:
        return None
    clause = pronoun.head if pronoun.dep_ != "pobj" else pronoun.head.head
    return clause.head if clause.dep_ == "relcl" and clause.head.pos_ in NOUN_POS else None


def misparsed_main_verb(verb: Token) -> bool:
    """'X, the UN envoy for Yemen, offered on Monday to ...': with no other verb in the sentence, the parser
    may read the main verb after an apposition as a participle on X; with no 'by' agent it is X's own act."""
    head = verb.head
    return head.dep_ == "ROOT" and verb.i > head.i and not any(c.dep_ == "agent" for c in verb.children) \
        and any(t.text == "," for t in verb.doc[head.i + 1:verb.i]) \
        and any(c.dep_ == "appos" for c in head.children)


def misattached_conjunct(verb: Token) -> bool:
    """'A gained independence when B broke up and have gone to war': a conjunct with its own auxiliary
    hung on a subordinate clause without one continues the main clause, so it takes the main subject."""
    head = verb.head
    if verb.dep_ != "conj" or head.dep_ not in ("relcl", "advcl"):
        return False
    own_aux = any(c.dep_ in ("aux", "auxpass") for c in verb.children)
    head_aux = any(c.dep_ in ("aux", "auxpass") for c in head.children)
    return own_aux and not head_aux


def speakers_next_act(verb: Token) -> bool:
    """'X said the army remained committed to the talks but accused the RSF of looting', 'X urged A to release
    the traders and called on B to reopen the border': a verb of accusing or urging coordinated with the verb
    of a reported clause, or of what an urging asks, is the speaker's next act, as the parser may hang it on
    that verb; it takes the speaker's subject and is no part of what was said or asked."""
    head = verb.head
    acts = words("speaker_acts")
    if verb.dep_ != "conj" or verb.lemma_.lower() not in acts or head.lemma_.lower() in acts:
        return False
    if head.dep_ == "ccomp":
        return head.head.lemma_.lower() in words("speech_verbs")
    return head.dep_ in ("xcomp", "advcl") and head.head.lemma_.lower() in acts


def object_controller(verb: Token) -> Token | None:
    """'accused X of stalling', 'thanked X for hosting': the gerund's doer is the governing verb's object."""
    if verb.dep_ != "pcomp" or verb.head.lower_ not in ("of", "for"):
        return None
    governor = verb.head.head
    objects = [c for c in governor.children if c.dep_ in ("dobj", "dative")]
    objects += prep_objects(governor, ("to",))
    return objects[-1] if objects else None


def ccomp_subject(word: Token) -> Token | None:
    """'demand/insist that X remove ...': X is the target."""
    for child in word.children:
        if child.dep_ in ("ccomp", "acl", "xcomp"):
            for grandchild in child.children:
                if grandchild.dep_ in ANY_SUBJECT:
                    return grandchild
    return None


def subtree_without(root: Token, leaves_out: Callable[[Token], bool]) -> set[int]:
    """Token ids of the subtree under `root`, without the children (and their subtrees) it leaves out."""
    found: set[int] = set()
    stack = [root]
    while stack:
        token = stack.pop()
        found.add(token.i)
        stack.extend(child for child in token.children if not leaves_out(child))
    return found


def is_embedded_clause(token: Token) -> bool:
    return token.dep_ in EMBEDDED_CLAUSE or (token.dep_ == "conj" and token.pos_ in CONJ_VERB_POS)


def has_own_subject(token: Token) -> bool:
    return token.pos_ in CONJ_VERB_POS and any(c.dep_ in ANY_SUBJECT for c in token.children)


def clause_tokens(root: Token) -> set[int]:
    """Token ids of a clause without its embedded clauses (their dates belong to other events); each clause
    is walked once per doc, and every caller gets a set of its own."""
    clauses = root.doc.user_data.setdefault(CLAUSES_KEY, {})
    ids = clauses.get(root.i)
    if ids is None:
        ids = clauses[root.i] = frozenset(subtree_without(root, is_embedded_clause))
    return set(ids)


def shared_subject_tokens(verb: Token) -> set[int]:
    """The verb's subtree without embedded clauses that have a subject of their own."""
    return subtree_without(verb, has_own_subject)


def governor(noun: Token) -> tuple[Token | None, str]:
    """The verb a nominal trigger hangs from ('hold *talks*', 'for a round *of talks*'), and how."""
    current, relation = noun, noun.dep_
    for _ in range(5):
        if current.dep_ not in ("dobj", "nsubj", "nsubjpass", "attr", "pobj", "conj", "appos"):
            break
        relation = current.dep_
        head = current.head
        if head.dep_ in ("prep", "agent") and current.dep_ == "pobj":
            relation = f"prep:{head.lower_}"
            head = head.head
            if (head.dep_ == "advmod" and head.lower_ == "away") or (head.dep_ in ("prep", "prt", "advmod")
                                                                      and head.lower_ == "out"):
                head = head.head  # 'stayed away from the talks', 'pulled out of the summit'
        if head.pos_ in CONJ_VERB_POS:
            return head, relation
        if relation == "prep:with" and head.dep_ == "dobj" and head.head.pos_ in CONJ_VERB_POS:
            # 'followed the vote with military action': the parser hangs the means on the object
            return head.head, relation
        if head.pos_ in NOUN_POS and relation in ("prep:of", "conj", "appos"):
            current = head
            continue
        return None, relation
    return None, relation


def bare_infinitive(verb: Token) -> bool:
    """'help Somalia *fight* the militants', 'let the observers *enter*': an infinitive without 'to' whose
    time and status are those of the verb it completes."""
    return verb.dep_ == "ccomp" and verb.tag_ == "VB" and \
        not any(c.dep_ in ("aux", "auxpass", "mark") for c in verb.children)


def complement_chain(token: Token) -> list[Token]:
    """The token and the words above it whose complement it is ('expected to meet': meet, expected);
    a purpose clause after a verb of going continues to that verb ('will travel to X to meet Y')."""
    chain = [token]
    current = token
    for _ in range(4):
        gerund_object = current.dep_ == "dobj" and is_gerund_noun(current)
        if not ((current.dep_ in COMPLEMENT_DEPS or gerund_object or after_motion(current)
                 or bare_infinitive(current))
                and current.head is not current):
            break
        current = current.head
        if current.pos_ == "ADP":
            current = current.head
        chain += [t for t in [current, *(c for c in current.children if c.dep_ == "acomp")] if t not in chain]
    return chain


def root_of(doc: Doc, ids: Iterable[int]) -> Token:
    """The highest token of a span given by token ids."""
    return min((doc[i] for i in ids), key=lambda t: len(list(t.ancestors)))


def coordinated_before(verb: Token) -> list[Token]:
    """The verb and the verbs it is coordinated with before it: 'In the final hours before it began, jets
    pounded X and rebels *fired* rockets' shares the opening adjunct."""
    found = [verb]
    while found[-1].dep_ == "conj" and found[-1].head.i != found[-1].i:
        found.append(found[-1].head)
    return found


def lemma_in(token: Token, words: frozenset[str]) -> bool:
    """The word or its lemma is one of the words ('talks' for 'talk', 'remarks' for 'remark')."""
    return token.lower_ in words or token.lemma_.lower() in words

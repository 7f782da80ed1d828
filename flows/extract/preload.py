"""Importing this module loads the spaCy pipeline, the gazetteer and the rule stages' codebooks.

The extraction workers' fork server imports it before it forks any worker (flows/workers.py): what it
loads is then held once and shared copy-on-write by every worker. The codebooks, patterns and matchers the
stages build on their first article are built here too, on a short article of no consequence, and the word
lists a stage reads only for some articles are loaded (else every worker that meets such an article, one per
batch, would load them again). All of it is frozen out of the cyclic collector, so that no collection in a
worker walks it and copies its pages.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

from flows.records import Article
from flows.workers import REFERENCE_FOLDER_VARIABLE

# An article touching every stage: a dateline, an attributed quotation, places, actors, an event and dates.
PRIMING_TEXT = ("TALLINN, 9 June 2031 (Wire) - Estonia's defence minister Kadri Saar met the Latvian delegation in "
                "Riga on Monday, two days after the border accord was signed.\n\u201cThe patrols will start in "
                "three weeks,\u201d Saar told reporters, adding that Lithuania had been invited to join.\n")


def priming_article() -> Article:
    return Article("0" * 16, "priming.txt", None, None, None, "2031-06-09", "dateline", "en", len(PRIMING_TEXT),
                   PRIMING_TEXT, 1.0)


def load_shared() -> None:
    """Load the model and the gazetteer, extract one article, then freeze every object made so far out of
    the collector's scans. A failure leaves the loading to each worker, which then reports it."""
    from flows.extract.actors.dictionary import given_names
    from flows.extract.annotate import load_nlp
    from flows.extract.article import extract_article
    from flows.extract.places.gazetteer import keep_built_in, load_gazetteer

    folder = os.environ.get(REFERENCE_FOLDER_VARIABLE)
    keep_built_in(Path(folder) if folder else None)
    try:
        load_gazetteer()
        extract_article(load_nlp()(PRIMING_TEXT), priming_article())
        given_names()
    except Exception:  # the worker loads again and raises
        pass
    gc.freeze()


load_shared()

"""Extract and normalise: from one parsed article to its mentions, actors, places, quotes and events."""

from __future__ import annotations

from spacy.tokens import Doc

from flows.consolidate import ArticleExtraction
from flows.records import Article

PRODUCED_TABLES: tuple[str, ...] = ()


def extract_article(doc: Doc, article: Article) -> ArticleExtraction:
    """All extractions of one article, in the order the stages depend on each other."""
    return ArticleExtraction(article.article_id)

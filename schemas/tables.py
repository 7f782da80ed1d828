"""The data contract: every column declared once, every table as a list of column names.

Everything else is derived from here: pandera schemas (`schemas.derive.pandera_schema`), the Arrow
schema, the CSV header, the `datapackage.json` table schemas and the data dictionary of the dataset card.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas.vocabularies import (
    ACTOR_KINDS,
    ATTRIBUTIONS,
    DATE_BASES,
    DATE_PRECISIONS,
    EVENT_DATE_BASES,
    EVENT_STATUSES,
    MENTION_KINDS,
    PLACE_FEATURES,
    PLACE_PRECISIONS,
    PLOVER_EVENT_TYPES,
    PUBLISHED_BASES,
    QUOTE_KINDS,
    SEVERITIES,
    SPEAKER_KINDS,
)

# 1.1.0: quarantine.severity added. 1.2.0: quotes.speaker_kind, speaker_country_iso3 and rule_ids added;
# events.rule_id, status_cue, date_basis, mention_spans added; actors.wikidata_id added.
# A release is checked against the columns of its own schema version.
SCHEMA_VERSION = "1.2.0"

ISO_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
ISO_DATE_OR_INTERVAL = r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$|^\d{4}-W\d{2}$|^\d{3}X$"
ISO3 = r"^[A-Z]{3}$"


@dataclass(frozen=True)
class Field:
    """One column: its type, meaning and constraints."""

    name: str
    dtype: str  # string | int64 | float64 | bool | list
    description: str
    nullable: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    unique: bool = False
    since: str = "1.0.0"  # the schema version that added the column


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str
    target: str


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[str, ...]
    primary_key: str
    foreign_keys: tuple[ForeignKey, ...] = field(default_factory=tuple)

    @property
    def fields(self) -> list[Field]:
        return [TABLE_FIELDS.get((self.name, name)) or FIELDS[name] for name in self.columns]

    def fields_in(self, version: str | None = None) -> list[Field]:
        """The fields a release of schema `version` holds (all of them when no version is given)."""
        if version is None:
            return self.fields
        return [f for f in self.fields if version_tuple(f.since) <= version_tuple(version)]

    def columns_in(self, version: str | None = None) -> list[str]:
        return [f.name for f in self.fields_in(version)]


def version_tuple(version: str) -> tuple[int, ...]:
    """'1.10.0' -> (1, 10, 0); anything unreadable sorts as the current version."""
    try:
        return tuple(int(part) for part in version.split("."))
    except (AttributeError, ValueError):
        return version_tuple(SCHEMA_VERSION)


def _fields(*items: Field) -> dict[str, Field]:
    return {item.name: item for item in items}


# Columns whose meaning is the same wherever they appear.
FIELDS: dict[str, Field] = _fields(
    Field("article_id", "string", "Article id: first 16 hex digits of the SHA-256 of the normalised text.",
          pattern=r"^[0-9a-f]{16}$"),
    Field("char_start", "int64", "Offset of the first character in the article text (Python string index).",
          minimum=0),
    Field("char_end", "int64", "Offset one past the last character in the article text.", minimum=0),
    Field("confidence", "float64", "Extractor confidence between 0 and 1.", minimum=0, maximum=1),
    Field("cluster_id", "string", "Shared by rows that report the same real-world quotation or event.",
          nullable=True),
    Field("country_iso3", "string", "ISO 3166-1 alpha-3 code of the country.", nullable=True, pattern=ISO3),
    Field("source_path", "string", "Path of the raw input relative to the raw folder."),
)

# Columns whose meaning depends on the table, keyed by (table, column).
TABLE_FIELDS: dict[tuple[str, str], Field] = {
    (table, item.name): item
    for table, items in {
        "articles": [
            Field("title", "string", "Title from metadata, else the first line when it reads as a headline.",
                  nullable=True),
            Field("outlet", "string", "Publishing outlet from metadata or a dateline credit.", nullable=True),
            Field("url", "string", "Address of the original article, from metadata.", nullable=True),
            Field("published_date", "string", "Publication date (ISO 8601) or null when unknown.",
                  nullable=True, pattern=ISO_DATE),
            Field("published_basis", "string", "How the publication date was established.",
                  enum=PUBLISHED_BASES),
            Field("published_confidence", "float64",
                  "Confidence in the publication date: 1 from metadata, lower from a dateline, the URL or "
                  "inferred from the text, 0 when unknown.", minimum=0, maximum=1),
            Field("language", "string", "ISO 639-1 language code, from metadata or detected.", nullable=True),
            Field("n_chars", "int64", "Number of characters in the article text.", minimum=1),
            Field("text", "string", "The normalised article text all offsets refer to."),
        ],
        "mentions": [
            Field("mention_id", "string", "Mention id: hash of article, kind and offsets.", unique=True),
            Field("kind", "string", "What the span names.", enum=MENTION_KINDS),
            Field("text", "string", "The exact surface string: article text[char_start:char_end]."),
            Field("value", "string",
                  "Normalised value: ISO date or interval (a clock time ends in THH:MM and its zone), ISO 8601 "
                  "duration (P6Y), actor_id or place_id.", nullable=True),
            Field("precision", "string",
                  "Dates: minute (clock times)|hour|day|week|month|season|year|decade|century|unknown; durations: "
                  "their unit; places: point|village|city|admin2|admin1|region|country|landmark.",
                  nullable=True, enum=tuple(dict.fromkeys(DATE_PRECISIONS + PLACE_PRECISIONS))),
            Field("method", "string", "The rule or dictionary that decided the value."),
            Field("is_metonym", "bool", "True when a place name stands for a government ('Baku said')."),
            Field("basis", "string",
                  "Dates and durations: text when the text alone gives the value, else the basis of the "
                  "publication date that resolved it (metadata|dateline|url|inferred); null otherwise.",
                  nullable=True, enum=DATE_BASES),
            Field("confidence", "float64", "Confidence in the value between 0 and 1, where the stage gives one.",
                  nullable=True, minimum=0, maximum=1),
        ],
        "actors": [
            Field("actor_id", "string", "Wikidata QID where verified, else a stable slug such as person:x-y.",
                  unique=True),
            Field("name", "string", "Canonical name."),
            Field("kind", "string", "Kind of actor.", enum=ACTOR_KINDS),
            Field("aliases", "list", "Other names and spellings seen or known."),
            Field("roles", "list", "Roles as 'role@ISO3 from..to' (open ends left empty)."),
            Field("wikidata_id", "string", "Wikidata QID of the actor where one is verified, else null.",
                  nullable=True, pattern=r"^Q[1-9][0-9]*$", since="1.2.0"),
        ],
        "places": [
            Field("place_id", "string", "geonames:<id> where known, else a stable slug.", unique=True),
            Field("name", "string", "Canonical name."),
            Field("feature", "string", "Kind of place.", enum=PLACE_FEATURES),
            Field("latitude", "float64", "WGS84 latitude.", nullable=True, minimum=-90, maximum=90),
            Field("longitude", "float64", "WGS84 longitude.", nullable=True, minimum=-180, maximum=180),
            Field("aliases", "list",
                  "Other names of the place: its name without accents and Latin-script GeoNames or gazetteer "
                  "variants ('Misrata' for 'Misratah').", nullable=True),
        ],
        "quotes": [
            Field("quote_id", "string", "Quote id: hash of article and offsets.", unique=True),
            Field("text", "string", "The quotation without its opening and closing marks (one running over "
                  "paragraphs keeps the paragraph break and the reopening mark: the article text at its offsets)."),
            Field("kind", "string", "direct: a whole quoted statement; partial: a few quoted words.",
                  enum=QUOTE_KINDS),
            Field("speaker_actor_id", "string", "The speaker's actor id.", nullable=True),
            Field("speaker_name", "string", "The speaker's name as resolved.", nullable=True),
            Field("speaker_role", "string", "The speaker's role as the text gives it.", nullable=True),
            Field("speaker_kind", "string", "What kind of speaker: a person, an institution (ministry, office, "
                  "government, army), a document (statement, declaration, communique), an anonymous source "
                  "(speaker_name holds its description), or unknown.", enum=SPEAKER_KINDS, since="1.2.0"),
            Field("speaker_country_iso3", "string", "The speaker's country when the text states it (an "
                  "anonymous 'Jordanian diplomat': JOR).", nullable=True, pattern=ISO3, since="1.2.0"),
            Field("rule_ids", "list", "Ids of the rules that found the quotation and its speaker: quotation "
                  "style, cue and speaker words (schemas/cue_verbs.yaml), 'coreference:<id>' for a pronoun or "
                  "descriptor resolved by schemas/coreference.yaml.", since="1.2.0"),
            Field("attribution", "string", "How the speaker was found.", enum=ATTRIBUTIONS),
            Field("cue", "string", "The speech verb or phrase that introduces the quote.", nullable=True),
            Field("quote_date", "string", "When it was said (ISO), else the article date.", nullable=True,
                  pattern=ISO_DATE_OR_INTERVAL),
        ],
        "events": [
            Field("event_id", "string", "Event id: hash of article, type and trigger offsets.", unique=True),
            Field("event_type", "string", "PLOVER 2.0 event type.", enum=PLOVER_EVENT_TYPES),
            Field("event_mode", "string", "PLOVER mode, where the codebook gives one.", nullable=True),
            Field("trigger", "string", "The word or phrase that signals the event."),
            Field("source_actor_ids", "list", "Actors doing the action."),
            Field("target_actor_ids", "list", "Actors the action is directed at."),
            Field("other_actor_ids", "list", "Other participants: mediators, hosts."),
            Field("event_date", "string", "When the event happened or is planned (ISO), null if not stated.",
                  nullable=True, pattern=ISO_DATE_OR_INTERVAL),
            Field("date_precision", "string", "Precision of event_date.", enum=DATE_PRECISIONS),
            Field("place_id", "string", "Where the event happened.", nullable=True),
            Field("status", "string", "Whether the event occurred, is planned, hypothetical or negated.",
                  enum=EVENT_STATUSES),
            Field("evidence", "string", "The sentence that reports the event."),
            Field("rule_id", "string", "The trigger rule of schemas/plover.yaml that made the event "
                  "(triggers[].id), e.g. consult.meet.", since="1.2.0"),
            Field("status_cue", "string", "The status cue of schemas/plover.yaml that set the status "
                  "(status_cues[].id), or governed-by:<rule id> when the governing event decided it; null "
                  "when the event simply occurred.", nullable=True, since="1.2.0"),
            Field("date_basis", "string", "What event_date rests on: text (a date expression attached to the "
                  "event), context (the happening it belongs to or the story's time), published (the "
                  "article's own day); null with no date.", nullable=True, enum=EVENT_DATE_BASES,
                  since="1.2.0"),
            Field("mention_spans", "list", "Every mention of this happening in the article as 'char_start-char_end' "
                  "of its trigger, first mention first: the headline, the lead and later references are one row.",
                  since="1.2.0"),
            Field("reported_by_actor_id", "string", "For an event told inside a quotation, the quoted speaker "
                  "who reports it (quotes.speaker_actor_id); for an act told in the reported clause of a verb "
                  "of saying ('X said Y had ...'), the speaker, unless the act is the speaker's own speech act; null "
                  "otherwise.", nullable=True,
                  since="1.2.0"),
        ],
        "quarantine": [
            Field("quarantine_id", "string", "Row id: hash of file, line, stage, reason and detail.", unique=True),
            Field("line", "int64", "Line number in a .jsonl feed, when the problem is one line.",
                  nullable=True, minimum=1),
            Field("stage", "string", "The stage that rejected the item (ingest, validate, ...)."),
            Field("reason", "string", "Short machine-readable reason."),
            Field("detail", "string", "Human-readable explanation.", nullable=True),
            Field("severity", "string", "error: the item is not published; warning: it is published, repaired or "
                  "with the caveat the detail gives.", enum=SEVERITIES, since="1.1.0"),
        ],
    }.items()
    for item in items
}

TABLES: dict[str, Table] = {
    table.name: table
    for table in [
        Table("articles", "One row per ingested text.",
              ("article_id", "source_path", "title", "outlet", "url", "published_date", "published_basis",
               "published_confidence", "language", "n_chars", "text"), "article_id"),
        Table("mentions", "Every normalised span of a date, actor or place: the provenance of the other tables.",
              ("mention_id", "article_id", "kind", "text", "char_start", "char_end", "value", "precision",
               "method", "is_metonym", "basis", "confidence"), "mention_id",
              (ForeignKey("article_id", "articles", "article_id"),)),
        Table("actors", "One row per distinct actor.",
              ("actor_id", "name", "kind", "country_iso3", "aliases", "roles", "wikidata_id"), "actor_id"),
        Table("places", "One row per distinct place.",
              ("place_id", "name", "feature", "country_iso3", "latitude", "longitude", "aliases"), "place_id"),
        Table("quotes", "One row per quotation in an article.",
              ("quote_id", "article_id", "text", "char_start", "char_end", "kind", "speaker_actor_id",
               "speaker_name", "speaker_role", "speaker_kind", "speaker_country_iso3", "attribution", "cue",
               "quote_date", "cluster_id", "confidence", "rule_ids"), "quote_id",
              (ForeignKey("article_id", "articles", "article_id"),
               ForeignKey("speaker_actor_id", "actors", "actor_id"))),
        Table("events", "One row per event mention, typed with PLOVER 2.0.",
              ("event_id", "article_id", "event_type", "event_mode", "trigger", "source_actor_ids",
               "target_actor_ids", "other_actor_ids", "event_date", "date_precision", "place_id", "status",
               "evidence", "char_start", "char_end", "cluster_id", "confidence", "rule_id", "status_cue",
               "date_basis", "mention_spans", "reported_by_actor_id"), "event_id",
              (ForeignKey("article_id", "articles", "article_id"),
               ForeignKey("source_actor_ids", "actors", "actor_id"),
               ForeignKey("target_actor_ids", "actors", "actor_id"),
               ForeignKey("other_actor_ids", "actors", "actor_id"),
               ForeignKey("reported_by_actor_id", "actors", "actor_id"),
               ForeignKey("place_id", "places", "place_id"))),
        Table("quarantine", "Inputs and rows that failed, with file, line and reason.",
              ("quarantine_id", "source_path", "line", "stage", "reason", "detail", "severity"), "quarantine_id"),
    ]
}

"""Closed vocabularies used by the table declarations and by the extractors."""

PLOVER_EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
EVENT_STATUSES = ("occurred", "planned", "hypothetical", "negated")
EVENT_DATE_BASES = ("text", "context", "published")
DATE_PRECISIONS = ("minute", "hour", "day", "week", "month", "season", "year", "decade", "century", "unknown")
PLACE_PRECISIONS = ("point", "village", "city", "admin2", "admin1", "region", "country", "landmark")
MENTION_KINDS = ("date", "duration", "actor", "place")
ACTOR_KINDS = ("person", "state", "government", "organisation", "igo", "group")
PLACE_FEATURES = ("country", "admin1", "admin2", "city", "village", "region", "landmark")
QUOTE_KINDS = ("direct", "partial")
SPEAKER_KINDS = ("person", "institution", "document", "anonymous", "unknown")
ATTRIBUTIONS = ("explicit", "pronoun", "descriptor", "previous_sentence", "unattributed")
PUBLISHED_BASES = ("metadata", "dateline", "url", "inferred", "unknown")
# What anchored a date value: the text alone, or the basis of the publication date it was resolved against.
DATE_BASES = ("text", "metadata", "dateline", "url", "inferred")
SEVERITIES = ("error", "warning")

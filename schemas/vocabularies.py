"""Closed vocabularies used by the table declarations and by the extractors."""

PLOVER_EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
EVENT_STATUSES = ("occurred", "planned", "hypothetical", "negated")
EVENT_DATE_BASES = ("text", "context", "published")
DATE_PRECISIONS = ("day", "week", "month", "season", "year", "decade", "unknown")
PLACE_PRECISIONS = ("point", "city", "admin1", "region", "country")
MENTION_KINDS = ("date", "actor", "place")
ACTOR_KINDS = ("person", "state", "government", "organisation", "igo", "group")
PLACE_FEATURES = ("country", "admin1", "city", "region", "landmark")
QUOTE_KINDS = ("direct", "partial")
SPEAKER_KINDS = ("person", "institution", "document", "anonymous", "unknown")
ATTRIBUTIONS = ("explicit", "pronoun", "descriptor", "previous_sentence", "unattributed")
PUBLISHED_BASES = ("metadata", "dateline", "inferred", "unknown")
SEVERITIES = ("error", "warning")

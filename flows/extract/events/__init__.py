"""Events: who did what to whom, when and where, typed with PLOVER 2.0.

The knowledge is data: `schemas/plover.yaml` holds the trigger rules (spaCy DependencyMatcher and Matcher
patterns with role maps, examples and negatives) and the status cues; this package interprets them.
Modules: codebook (reading and expanding the patterns), matching (running them), roles (role maps),
attach (nominal triggers and their verbs), parties (the story's parties), resolve (noun phrases to actors),
status, when (dates and places), build (rows), callbacks (the rules that need code), extract (the stage).
Every row records the rule that made it (`rule_id`) and the cue that set its status (`status_cue`).
"""

from flows.extract.events.codebook import CODEBOOK_PATH, Codebook, load_codebook, parse_codebook
from flows.extract.events.extract import extract_events

__all__ = ["CODEBOOK_PATH", "Codebook", "extract_events", "load_codebook", "parse_codebook"]

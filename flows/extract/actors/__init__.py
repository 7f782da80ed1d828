"""Actor normalisation: people, states, governments and organisations named in an article.

The reference data lives in `schemas/actors.yaml` and `schemas/demonyms.yaml`; states come from pycountry.
Mapping rules (kept simple and documented here so users can rely on them):

- a country name ('Armenia returned ...') is the state: `state:<ISO3>`, method 'dictionary'; a country
  name used as a location ('in Armenia') is left to the places module;
- a capital or seat of power that acts or owns something ('Yerevan said', 'Baku's demand',
  'the Kremlin's failure', 'Moscow-backed', 'with the backing of Tehran') is the government: `gov:<ISO3>`,
  method 'metonym', `is_metonym` True;
  the same word as a location ('talks in Baku') gives no actor mention;
- a name for the whole government ('the Biden administration', also a leader of the dictionary before
  'administration', 'government' or 'cabinet': 'the Petro administration', method 'leader-government') or a
  demonym with a government noun ('the Armenian government', 'the Azerbaijani side') is the government,
  `is_metonym` False;
- a ministry is an actor of its own (kind government): named ones from the dictionary
  ('State Department' -> `gov:USA:department-of-state`) and common ones built for any country
  ('the Armenian Foreign Ministry' -> `gov:ARM:ministry-of-foreign-affairs`, also in a letterhead 'State
  – Ministry ...'); a ministry named without its country is the one of its kind the article names
  (method 'coreference-ministry'), an office ('the Office of the Prime Minister') else that of the one
  state whose holder of the role the article names ('Prime Minister Abiy Ahmed' ->
  `gov:ETH:office-of-the-prime-minister`, method 'office-holder'); otherwise no government;
- people from the dictionary keep `person:<slug>`; unknown people found by NER or by a title
  ('Georgian Foreign Minister X') get `person:<slug of the full name>`, so the id is the same in
  every article; short and title-only mentions resolve within the article and, for roles, by date;
- a demonym alone ('Armenian' in 'Armenian Foreign Minister X') is not a mention; a country name in a
  title ('U.S.' in 'U.S. Secretary of State X') is a mention of the state; regional and ethnic demonyms
  ('Tigrayan', 'Amhara', in demonyms.yaml under `regional`) are never organisations;
- armed groups and movements are dictionary actors of kind `group` with the country they fight in
  ('group:tplf'); a national army is an institution of its state ('gov:SDN:sudanese-armed-forces', kind
  government, like a ministry), so that in a civil war it stays apart from the other party;
- 'Long Name (ACRONYM)', 'ACRONYM (Long Name)' and 'Long Name, known as ACRONYM' (the cues are
  `acronym_definition_cues`) define an alias pair for the article: the name, the acronym and every other
  use of either are one actor, the dictionary's when it lists the name or (with a similar name) the
  acronym, else `org:<slug of the name>` (`igo:<slug>` for a body named after a listed intergovernmental
  organisation, 'United Nations Mission in Liberia', whose name outranks the shorter listed one inside
  it); an acronym of an agreement, a place or a state defines no organisation;
- an acronym the dictionary does not know and the article never spells out, beside a noun that says what
  it is ('ARSA fighters', 'fighters of the KLF', 'the ORA, an ethnic armed group', 'the PDN party'), is an
  actor named by the acronym for the whole article: `group:<slug>` for fighters, rebels and armed groups,
  `org:<slug>` for parties and other bodies (method 'acronym-context'; the nouns are `acronym_kind_nouns`
  in actors.yaml), or doing an act of violence or politics as a verb's subject or 'by' agent ('the KLF
  ambushed a convoy': `acronym_acts`); with neither it is left to the tagger, since initials also name
  people;
- a grouping of states without institutions of its own ('the Troika', 'the Quartet') is an actor of kind
  igo in the dictionary whose acts are those of its members: coreference (`collectives` in
  coreference.yaml) gives the members on its name, and the event stage takes them as the participants;
- a common noun the dictionary gives an organisation where the story is its own ('the coalition' in an
  article about Yemen's war, `in_context` in actors.yaml) names it (method 'dictionary-context');
- a country name is a place, not a state, in a dateline ('ARAUCA, Colombia (Reuters) -') and after 'to',
  'from' or 'into' following a word of displacement ('fled to Egypt, Chad and South Sudan': the whole
  list); a name the tagger calls an organisation or a person that is a known place (GeoNames) used as a
  location ('near Adwa', 'seized Wad Madani', a dateline) is left to the places module;
- a person's country and role come from their own title or apposition: a title running straight into
  the next name ('X, Ethiopian government negotiator Y') belongs to Y.

Mention methods: 'dictionary' (a listed name), 'fuzzy' (a misspelt listed name), 'title' (a name after
a title), 'ner' (a name the tagger found), 'coreference-surname' / 'coreference-name' (a surname or
given name of a person named in full in the article), 'coreference-title' ('the minister' after a
named minister), 'role-lookup' (a title resolved to its holder at the article date), 'title-state' (a
diplomat's or official's title with a country and no holder, 'the French ambassador': the state), 'metonym',
'demonym' (a demonym with a government or military noun), 'acronym' (a name or acronym defined in the
article and not in the dictionary), 'acronym-context' (an acronym typed by the noun beside it),
'story-government' ('the government', 'the authorities', 'government forces' before any state is named: the
government of the story's country, found after places by `flows/extract/story_government.py`). Surface
forms of title-only mentions are not added to an actor's aliases: they are descriptions, not names.

The stage is a package: `dictionary` (reference data, built once), `titles` (the title and role parser),
`people`, `states`, `organisations` (the rules by kind of actor), `context` (the article state and the
syntax tests they share) and `extract` (the rules in order, then coreference, `flows/extract/coref.py`).
"""

from __future__ import annotations

from flows.extract.actors.dictionary import ActorDictionary, actor_role_at, load_actor_dictionary
from flows.extract.actors.extract import extract_actor_mentions
from flows.extract.roles import Role, parse_role

__all__ = ["ActorDictionary", "Role", "actor_role_at", "extract_actor_mentions", "load_actor_dictionary",
           "parse_role"]

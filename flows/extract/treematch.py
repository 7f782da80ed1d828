"""spaCy's DependencyMatcher with its node patterns found through indexes of the document.

spaCy tests every node pattern against every token with its token Matcher: with the codebook's thousand
nodes, most of them reading the lower-cased lemma extension, that is a thousand tests per token. Here each
token's values are looked up in a table of the node patterns that hold them (most node patterns, a word
each, have no token in a given document), and only those node patterns are tested further, on the
document's attribute columns, read once per document and shared by every matcher run on it. The tree
search that joins the nodes is spaCy's own, tried only in the trees where a pattern's first node matched,
so the matches are the same, in the same order. A node using an operator not read here is matched by
spaCy's Matcher as before. The token Matcher likewise runs on a document only the patterns whose required
nodes all have a candidate in it. Columns are read from the document's arrays, each distinct value turned into
the token's string once; a token extension that is a function of one attribute (`set_derived_extension`)
is read from that attribute's column the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import Any

from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

# Matcher attributes read as the token's string attribute of the same meaning.
TOKEN_ATTRIBUTES = {"ORTH": "text", "TEXT": "text", "LOWER": "lower_", "NORM": "norm_", "LEMMA": "lemma_",
                    "POS": "pos_", "TAG": "tag_", "DEP": "dep_", "ENT_TYPE": "ent_type_", "SHAPE": "shape_"}
# Boolean attributes the Matcher compares as 0 or 1: the lexeme's flags, and whether a token starts a sentence.
FLAG_ATTRIBUTES = ("IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_PUNCT", "IS_SPACE", "IS_TITLE", "IS_UPPER",
                   "LIKE_URL", "LIKE_NUM", "LIKE_EMAIL", "IS_STOP", "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT",
                   "IS_RIGHT_PUNCT", "IS_CURRENCY", "IS_SENT_START")
# Attributes whose index narrows a node best first: words before classes of words.
INDEX_ORDER = ("_", "LOWER", "TEXT", "ORTH", "NORM", "LEMMA", "ENT_TYPE", "SHAPE", "TAG", "DEP", "POS")
# Matchers of pattern subsets kept by an IndexedMatcher (documents differ in which patterns they can match).
SUBSETS_KEPT = 64
# (operator, attribute, value): attribute is a TOKEN_ATTRIBUTES key or ("_", extension name).
Test = tuple[str, Any, Any]
# Where a document keeps its DocColumns (doc.user_data).
COLUMNS_KEY = "accord_token_columns"
# Token extensions that are a function of one token attribute: name -> (attribute, function of its string).
DERIVED_EXTENSIONS: dict[str, tuple[str, Callable[[str], Any]]] = {}


def set_derived_extension(name: str, attribute: str, derive: Callable[[str], Any]) -> None:
    """A token extension computed from one attribute's string ('plover_lemma': the lower-cased lemma): the
    indexes read it from that attribute's column, once per distinct value rather than once per token."""
    if not Token.has_extension(name):
        read = attrgetter(TOKEN_ATTRIBUTES[attribute])
        Token.set_extension(name, getter=lambda token: derive(read(token)))
    DERIVED_EXTENSIONS[name] = (attribute, derive)


@dataclass(frozen=True)
class NodeTest:
    """The tests of one node pattern: one to look its candidates up by, the others to filter them."""

    index: Test | None
    filters: tuple[Test, ...]


def _value_test(attribute: Any, value: Any) -> list[Test] | None:
    """A node attribute as tests, or None when it uses something only spaCy's Matcher reads."""
    if isinstance(value, str):
        return [("==", attribute, value)]
    if not isinstance(value, dict) or not value:
        return None
    tests: list[Test] = []
    for operator, operand in value.items():
        if operator in ("IN", "NOT_IN") and isinstance(operand, list | tuple) and all(
                isinstance(v, str) for v in operand):
            tests.append((operator, attribute, frozenset(operand)))
        elif operator == "REGEX" and isinstance(operand, str):
            tests.append(("REGEX", attribute, re.compile(operand)))
        else:
            return None
    return tests


def compile_node(attrs: dict[str, Any]) -> NodeTest | None:
    """A node's RIGHT_ATTRS as tests, or None if any of them is read only by spaCy's Matcher."""
    tests: list[Test] = []
    for key, value in attrs.items():
        if key == "_" and isinstance(value, dict):
            parts = [_value_test(("_", name), item) for name, item in value.items()]
        elif isinstance(key, str) and key.upper() in TOKEN_ATTRIBUTES:
            parts = [_value_test(key.upper(), value)]
        elif isinstance(key, str) and key.upper() in FLAG_ATTRIBUTES and isinstance(value, bool):
            parts = [[("IS", key.upper(), value)]]
        else:
            return None
        if any(part is None for part in parts):
            return None
        tests += [test for part in parts for test in part]
    lookups = [t for t in tests if t[0] in ("==", "IN")]
    if not lookups:
        return NodeTest(None, tuple(tests))
    index = min(lookups, key=lambda t: INDEX_ORDER.index(t[1] if isinstance(t[1], str) else "_"))
    return NodeTest(index, tuple(t for t in tests if t is not index))


class DocColumns:
    """A document's attribute values, each read in one pass over its tokens, and the tokens passing each
    test: kept with the document, so the matchers run on it share them (the parse is never changed after)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.columns: dict[Any, list[Any]] = {}
        self.indexes: dict[Any, dict[str, list[int]]] = {}
        self.passing: dict[Test, frozenset[int]] = {}
        self.tree_roots: list[int] | None = None

    @staticmethod
    def of(doc: Doc, attributes: Iterable[Any]) -> DocColumns:
        """The document's columns, with those of `attributes` not read yet read from its arrays (a token
        extension of no known attribute in one pass over its tokens)."""
        columns = doc.user_data.get(COLUMNS_KEY)
        if columns is None:
            columns = doc.user_data[COLUMNS_KEY] = DocColumns(len(doc))
        missing = [attribute for attribute in attributes if attribute not in columns.columns]
        derived = [a for a in missing if isinstance(a, tuple) and a[1] in DERIVED_EXTENSIONS]
        native = list(dict.fromkeys([a for a in missing if isinstance(a, str)] +
                                    [DERIVED_EXTENSIONS[a[1]][0] for a in derived
                                     if DERIVED_EXTENSIONS[a[1]][0] not in columns.columns]))
        if native:
            columns._read_arrays(doc, native)
        for attribute in derived:
            base, derive = DERIVED_EXTENSIONS[attribute[1]]
            distinct = {value: derive(value) for value in dict.fromkeys(columns.columns[base])}
            columns.columns[attribute] = [distinct[value] for value in columns.columns[base]]
        other = [a for a in missing if isinstance(a, tuple) and a not in derived]
        if other:
            readers = [_reader(attribute) for attribute in other]
            values = [[read(token) for read in readers] for token in doc]
            columns.columns.update({attribute: [row[k] for row in values] for k, attribute in enumerate(other)})
        return columns

    def _read_arrays(self, doc: Doc, attributes: list[str]) -> None:
        """Columns of token attributes from one `Doc.to_array`: a string attribute's value is a function of
        the stored number, so each distinct number is read as a string from its first token only."""
        names = ["SENT_START" if a == "IS_SENT_START" else "ORTH" if a == "TEXT" else a for a in attributes]
        array = doc.to_array(names).reshape(len(doc), len(names)).T.tolist() if len(doc) else [[] for _ in names]
        for attribute, numbers in zip(attributes, array, strict=True):
            if attribute == "IS_SENT_START":  # as the Matcher reads it: a sentence start is marked 1
                self.columns[attribute] = [number == 1 for number in numbers]
            elif attribute in FLAG_ATTRIBUTES:
                self.columns[attribute] = [bool(number) for number in numbers]
            else:
                read = attrgetter(TOKEN_ATTRIBUTES[attribute])
                first = {number: i for i, number in reversed(list(enumerate(numbers)))}
                strings = {number: read(doc[i]) for number, i in first.items()}
                self.columns[attribute] = [strings[number] for number in numbers]

    def index(self, attribute: Any) -> dict[str, list[int]]:
        """Value -> the tokens holding it, in document order (string values only)."""
        if attribute not in self.indexes:
            index: dict[str, list[int]] = {}
            for i, value in enumerate(self.columns[attribute]):
                if isinstance(value, str):
                    index.setdefault(value, []).append(i)
            self.indexes[attribute] = index
        return self.indexes[attribute]

    def positions(self, attribute: Any, values: Iterable[str]) -> list[int]:
        """The tokens whose attribute is one of the values."""
        index = self.index(attribute)
        return [i for value in values for i in index.get(value, ())]

    def roots(self, doc: Doc) -> list[int]:
        """The root of each token's tree (`tree_roots`), found once per document."""
        if self.tree_roots is None:
            self.tree_roots = tree_roots(doc)
        return self.tree_roots

    def tokens_passing(self, test: Test) -> frozenset[int]:
        """The tokens that pass a test, as spaCy's Matcher decides it (a value that is no string fails)."""
        if test not in self.passing:
            operator, attribute, operand = test
            if operator in ("==", "IN"):
                found = self.positions(attribute, [operand] if operator == "==" else operand)
            elif operator == "IS":
                found = [i for i, value in enumerate(self.columns[attribute]) if value == operand]
            elif operator == "NOT_IN":
                found = [i for i, value in enumerate(self.columns[attribute])
                         if isinstance(value, str) and value not in operand]
            else:
                found = [i for i, value in enumerate(self.columns[attribute])
                         if isinstance(value, str) and operand.search(value)]
            self.passing[test] = frozenset(found)
        return self.passing[test]


def _reader(attribute: tuple[str, str]) -> Any:
    """How to read a token extension: its getter itself when it has one."""
    _default, _method, getter, _setter = Token.get_extension(attribute[1]) or (None, None, None, None)
    if getter is not None:
        return getter
    return lambda token: token._.get(attribute[1])


def node_positions(node: NodeTest, columns: DocColumns, indexed: Iterable[int] | None = None) -> list[int]:
    """The tokens a node pattern matches, in document order; `indexed`: those passing its index test, when
    the caller found them already."""
    tests = ((node.index,) if node.index is not None else ()) + node.filters
    if not tests:
        return list(range(columns.size))
    if indexed is not None and node.index is not None:
        found, tests = frozenset(indexed), (node.index, *node.filters)
    else:
        found = columns.tokens_passing(tests[0])
    for test in tests[1:]:
        if not found:
            break
        found = found & columns.tokens_passing(test)
    return sorted(found)


def tree_roots(doc: Doc) -> list[int]:
    """The root of each token's tree (what spaCy's DependencyMatcher groups candidates by)."""
    heads = [i + offset for i, offset in enumerate(doc.to_array("HEAD").astype("int64").tolist())]
    roots = [-1] * len(heads)
    for start in range(len(heads)):
        path = []
        i = start
        while roots[i] < 0 and heads[i] != i:
            path.append(i)
            i = heads[i]
        root = i if roots[i] < 0 else roots[i]
        for j in path + [i]:
            roots[j] = root
    return roots


class IndexedDependencyMatcher(DependencyMatcher):
    """A DependencyMatcher whose node patterns are matched through document indexes."""

    def __init__(self, vocab: Vocab) -> None:
        super().__init__(vocab)
        self._distinct: dict[str, tuple[NodeTest, list[int]]] = {}  # node attributes -> test, node keys
        self._test_of: dict[int, str] = {}  # node key -> its node attributes (a key of _distinct)
        self._source_of: dict[int, Hashable] = {}  # node key -> what finds its tokens: _distinct's key, or itself
        self._attributes: dict[Any, None] = {}
        self._fallback = Matcher(vocab)
        self._searches: list[tuple[str, Any, Any, tuple[Hashable, ...], str | None]] | None = None
        self._by_value: dict[Any, dict[str, list[str]]] | None = None
        self._unindexed: list[str] = []  # node patterns without an index test

    def add(self, key: str, patterns: list[list[dict[str, Any]]], *, on_match: Any = None) -> None:
        """Add the patterns as spaCy does, and compile their nodes for the indexes."""
        super().add(key, patterns, on_match=on_match)
        self._searches = self._by_value = None
        node_keys = self._tokens_to_key[self._normalize_key(key)][-len(patterns):]
        for pattern, keys in zip(patterns, node_keys, strict=True):
            for node, node_key in zip(pattern, keys, strict=True):
                self._add_node(node_key, node["RIGHT_ATTRS"])

    def _add_node(self, node_key: int, attrs: dict[str, Any]) -> None:
        compiled = compile_node(attrs)
        if compiled is None:
            self._fallback.add(node_key, [[attrs]])
            self._source_of[node_key] = node_key
            return
        text = json.dumps(attrs, sort_keys=True, default=repr)
        self._distinct.setdefault(text, (compiled, []))[1].append(node_key)
        self._test_of[node_key] = text
        self._source_of[node_key] = text
        for test in ((compiled.index,) if compiled.index else ()) + compiled.filters:
            self._attributes[test[1]] = None

    def _get_keys_to_position_maps(self, doc: Doc) -> dict[int, dict[int, list[int]]]:
        """Node pattern matches grouped by tree root, as spaCy's are: roots in the order of their first
        matched token, positions in document order."""
        found, order = self._positions_by_root(doc)
        return {root: {key: found[source][root] for key, source in self._source_of.items()
                       if root in found.get(source, {})} for root in order}

    def _positions_by_root(self, doc: Doc) -> tuple[dict[Hashable, dict[int, list[int]]], dict[int, int]]:
        """Where each distinct node pattern (or node only spaCy's Matcher reads) matched: tree root -> its
        tokens in document order; and the rank of each root by its first matched token (spaCy's order of
        trees). Node keys sharing a node pattern share its lists (the search only reads them)."""
        columns = DocColumns.of(doc, self._attributes)
        roots = columns.roots(doc)
        found: dict[Hashable, dict[int, list[int]]] = {}
        first: dict[int, int] = {}  # root -> its first matched token
        indexed: dict[str, list[int]] = {}  # node pattern -> the tokens passing its index test
        for attribute, patterns in self._node_patterns_by_value().items():
            index = columns.index(attribute)
            for value in index.keys() & patterns.keys():
                for text in patterns[value]:
                    indexed.setdefault(text, []).extend(index[value])
        for text in [*indexed, *self._unindexed]:
            by_root: dict[int, list[int]] = {}
            for i in node_positions(self._distinct[text][0], columns, indexed.get(text)):
                by_root.setdefault(roots[i], []).append(i)
            if by_root:
                found[text] = by_root
        if len(self._fallback):
            for match_id, start, _end in sorted(self._fallback(doc), key=itemgetter(1)):
                found.setdefault(match_id, {}).setdefault(roots[start], []).append(start)
        for by_root in found.values():
            for root, positions in by_root.items():
                if first.get(root, positions[0]) >= positions[0]:
                    first[root] = positions[0]
        return found, {root: n for n, root in enumerate(sorted(first, key=first.__getitem__))}

    def _node_patterns_by_value(self) -> dict[Any, dict[str, list[str]]]:
        """Attribute -> value -> the node patterns whose index test that value passes: a document's tokens
        are looked up in it, rather than each node pattern's values in the document (most node patterns,
        a word each, have no token in a given document)."""
        if self._by_value is None:
            self._by_value = {}
            self._unindexed = [text for text, (test, _keys) in self._distinct.items() if test.index is None]
            for text, (test, _keys) in self._distinct.items():
                if test.index is not None:
                    operator, attribute, operand = test.index
                    values = [operand] if operator == "==" else sorted(operand)
                    for value in values:
                        self._by_value.setdefault(attribute, {}).setdefault(value, []).append(text)
        return self._by_value

    def _search_plan(self) -> list[tuple[str, Any, Any, tuple[Hashable, ...], str | None]]:
        """Every pattern as spaCy searches them, in its order: key, tree, node keys, what finds each node's
        tokens, and the node pattern (of its first compiled node) whose trees alone can hold it."""
        if self._searches is None:
            self._searches = [
                (key, tree, tokens_to_key, tuple(self._source_of[k] for k in tokens_to_key),
                 next((self._test_of[k] for k in tokens_to_key if k in self._test_of), None))
                for key in self._patterns
                for tree, tokens_to_key in zip(self._tree[key], self._tokens_to_key[key], strict=True)]
        return self._searches

    def __call__(self, doclike: Any) -> list[tuple[int, list[int]]]:
        """spaCy's search over the trees, skipping a pattern in a tree where one of its nodes has no match
        (the product of candidate positions would be empty): only the trees where its first compiled node
        matched are tried, in spaCy's order."""
        if not isinstance(doclike, Doc):
            return super().__call__(doclike)
        doc = doclike
        found, order = self._positions_by_root(doc)
        ordered: dict[str | None, list[int]] = {None: list(order)}
        cache: dict = {}
        matched: list[tuple[int, list[int]]] = []
        for key, tree, tokens_to_key, sources, anchor in self._search_plan():
            if anchor not in ordered:
                ordered[anchor] = sorted(found.get(anchor, ()), key=order.__getitem__)
            for root in ordered[anchor]:
                try:
                    keys_to_position = {k: found[source][root] for k, source in zip(tokens_to_key, sources,
                                                                                     strict=True)}
                except KeyError:  # a node with no token in this tree
                    continue
                matched += [(key, match) for match in
                            self._get_matches(cache, doc, tree, tokens_to_key, keys_to_position)]
        for i, (match_id, _nodes) in enumerate(matched):
            on_match = self._callbacks.get(match_id)
            if on_match is not None:
                on_match(self, doc, i, matched)
        return matched


class IndexedMatcher(Matcher):
    """spaCy's token Matcher running, on each document, only the patterns that can match it: those whose
    every required node (one without a quantifier that allows no token) matches some token, found through
    the document's indexes. The matches are spaCy's; callers that need an order sort them."""

    def __init__(self, vocab: Vocab) -> None:
        super().__init__(vocab)
        self._entries: list[tuple[str, list[dict[str, Any]], tuple[NodeTest, ...] | None]] = []
        self._attributes: dict[Any, None] = {}
        self._subsets: dict[frozenset[int], Matcher] = {}

    def add(self, key: str, patterns: list[list[dict[str, Any]]], **options: Any) -> None:
        """Add the patterns as spaCy does, and compile their required nodes for the indexes."""
        super().add(key, patterns, **options)
        for pattern in patterns:
            nodes = [compile_node({k: v for k, v in node.items() if k != "OP"}) for node in pattern
                     if node.get("OP") in (None, "+")]
            required = None if options or any(node is None for node in nodes) else tuple(nodes)
            self._entries.append((key, pattern, required))
            for node in required or ():
                for test in ((node.index,) if node.index else ()) + node.filters:
                    self._attributes[test[1]] = None
        self._subsets.clear()

    def __call__(self, doclike: Any, **options: Any) -> Any:
        if options or not isinstance(doclike, Doc):
            return super().__call__(doclike, **options)
        columns = DocColumns.of(doclike, self._attributes)
        viable = frozenset(k for k, (_key, _pattern, required) in enumerate(self._entries)
                           if required is None or all(node_positions(node, columns) for node in required))
        if len(viable) == len(self._entries):
            return super().__call__(doclike)
        if not viable:
            return []
        return self._subset(viable)(doclike)

    def _subset(self, viable: frozenset[int]) -> Matcher:
        """A Matcher of the viable patterns, kept for the next document that needs the same."""
        if viable not in self._subsets:
            if len(self._subsets) >= SUBSETS_KEPT:
                self._subsets.clear()
            matcher = Matcher(self.vocab)
            for k in sorted(viable):
                key, pattern, _required = self._entries[k]
                matcher.add(key, [pattern])
            self._subsets[viable] = matcher
        return self._subsets[viable]

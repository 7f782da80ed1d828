"""spaCy's DependencyMatcher with its node patterns found through indexes of the document.

spaCy tests every node pattern against every token with its token Matcher: with the codebook's thousand
nodes, most of them reading the lower-cased lemma extension, that is a thousand tests per token. Here each
token's values are looked up in a table of the node patterns that hold them (most node patterns, a word
each, have no token in a given document), and only those node patterns are tested further, on the
document's attribute columns, read once per document and shared by every matcher run on it. The tree
search that joins the nodes is spaCy's own, tried only in the trees where a pattern's first node matched,
so the matches are the same, in the same order. A node using an operator not read here is matched by
spaCy's Matcher as before. The token Matcher likewise runs on a document only the patterns whose required
nodes all have a candidate in it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import Any

from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

# Matcher attributes read as the token's string attribute of the same meaning.
TOKEN_ATTRIBUTES = {"ORTH": "text", "TEXT": "text", "LOWER": "lower_", "NORM": "norm_", "LEMMA": "lemma_",
                    "POS": "pos_", "TAG": "tag_", "DEP": "dep_", "ENT_TYPE": "ent_type_", "SHAPE": "shape_"}
# Attributes whose index narrows a node best first: words before classes of words.
INDEX_ORDER = ("_", "LOWER", "TEXT", "ORTH", "NORM", "LEMMA", "ENT_TYPE", "SHAPE", "TAG", "DEP", "POS")
# Matchers of pattern subsets kept by an IndexedMatcher (documents differ in which patterns they can match).
SUBSETS_KEPT = 64
# (operator, attribute, value): attribute is a TOKEN_ATTRIBUTES key or ("_", extension name).
Test = tuple[str, Any, Any]
# Where a document keeps its DocColumns (doc.user_data).
COLUMNS_KEY = "accord_token_columns"


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

    @staticmethod
    def of(doc: Doc, attributes: Iterable[Any]) -> DocColumns:
        """The document's columns, with those of `attributes` not read yet read in one pass."""
        columns = doc.user_data.get(COLUMNS_KEY)
        if columns is None:
            columns = doc.user_data[COLUMNS_KEY] = DocColumns(len(doc))
        missing = [attribute for attribute in attributes if attribute not in columns.columns]
        if missing:
            readers = [_reader(attribute) for attribute in missing]
            values = [[read(token) for read in readers] for token in doc]
            columns.columns.update({attribute: [row[k] for row in values] for k, attribute in enumerate(missing)})
        return columns

    def positions(self, attribute: Any, values: Iterable[str]) -> list[int]:
        """The tokens whose attribute is one of the values."""
        if attribute not in self.indexes:
            index: dict[str, list[int]] = {}
            for i, value in enumerate(self.columns[attribute]):
                if isinstance(value, str):
                    index.setdefault(value, []).append(i)
            self.indexes[attribute] = index
        index = self.indexes[attribute]
        return [i for value in values for i in index.get(value, ())]

    def tokens_passing(self, test: Test) -> frozenset[int]:
        """The tokens that pass a test, as spaCy's Matcher decides it (a value that is no string fails)."""
        if test not in self.passing:
            operator, attribute, operand = test
            if operator in ("==", "IN"):
                found = self.positions(attribute, [operand] if operator == "==" else operand)
            elif operator == "NOT_IN":
                found = [i for i, value in enumerate(self.columns[attribute])
                         if isinstance(value, str) and value not in operand]
            else:
                found = [i for i, value in enumerate(self.columns[attribute])
                         if isinstance(value, str) and operand.search(value)]
            self.passing[test] = frozenset(found)
        return self.passing[test]


def _reader(attribute: Any) -> Any:
    """How to read an attribute from a token: the extension's getter itself when it has one."""
    if isinstance(attribute, tuple):
        _default, _method, getter, _setter = Token.get_extension(attribute[1]) or (None, None, None, None)
        if getter is not None:
            return getter
        return lambda token: token._.get(attribute[1])
    return attrgetter(TOKEN_ATTRIBUTES[attribute])


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
        self._attributes: dict[Any, None] = {}
        self._fallback = Matcher(vocab)
        self._searches: list[tuple[str, Any, Any, frozenset[int], str | None]] | None = None
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
            return
        text = json.dumps(attrs, sort_keys=True, default=repr)
        self._distinct.setdefault(text, (compiled, []))[1].append(node_key)
        self._test_of[node_key] = text
        for test in ((compiled.index,) if compiled.index else ()) + compiled.filters:
            self._attributes[test[1]] = None

    def _get_keys_to_position_maps(self, doc: Doc) -> dict[int, dict[int, list[int]]]:
        """Node pattern matches grouped by tree root, as spaCy's are: roots in the order of their first
        matched token, positions in document order. The node keys of one node pattern share its lists of
        positions (the search only reads them)."""
        return self._positions_by_root(doc)[0]

    def _positions_by_root(self, doc: Doc) -> tuple[dict[int, dict[int, list[int]]], dict[str, list[int]]]:
        """The maps of `_get_keys_to_position_maps`, and the roots each distinct node pattern matched in."""
        columns = DocColumns.of(doc, self._attributes)
        roots = tree_roots(doc)
        maps: dict[int, dict[int, list[int]]] = {}
        first: dict[int, int] = {}  # root -> its first matched token
        test_roots: dict[str, list[int]] = {}
        by_value = self._node_patterns_by_value()
        indexed: dict[str, list[int]] = {}  # node pattern -> the tokens passing its index test
        for attribute, patterns in by_value.items():
            for i, value in enumerate(columns.columns[attribute]):
                if isinstance(value, str) and value in patterns:
                    for text in patterns[value]:
                        indexed.setdefault(text, []).append(i)
        for text in [*indexed, *self._unindexed]:
            test, node_keys = self._distinct[text]
            by_root: dict[int, list[int]] = {}
            for i in node_positions(test, columns, indexed.get(text)):
                by_root.setdefault(roots[i], []).append(i)
            if by_root:
                test_roots[text] = list(by_root)
            for root, positions in by_root.items():
                maps.setdefault(root, {}).update(dict.fromkeys(node_keys, positions))
                first[root] = min(first.get(root, positions[0]), positions[0])
        if len(self._fallback):
            for match_id, start, _end in sorted(self._fallback(doc), key=itemgetter(1)):
                maps.setdefault(roots[start], {}).setdefault(match_id, []).append(start)
                first[roots[start]] = min(first.get(roots[start], start), start)
        return {root: maps[root] for root in sorted(maps, key=first.__getitem__)}, test_roots

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

    def _search_plan(self) -> list[tuple[str, Any, Any, frozenset[int], str | None]]:
        """Every pattern as spaCy searches them, in its order: key, tree, node keys, the node keys all
        needed in a tree, and the node pattern (of its first compiled node) whose trees alone can hold it."""
        if self._searches is None:
            self._searches = [
                (key, tree, tokens_to_key, frozenset(tokens_to_key),
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
        maps, test_roots = self._positions_by_root(doc)
        order = {root: n for n, root in enumerate(maps)}
        ordered: dict[str, list[int]] = {}
        cache: dict = {}
        matched: list[tuple[int, list[int]]] = []
        for key, tree, tokens_to_key, needed, anchor in self._search_plan():
            if anchor is None:
                trees: Iterable[int] = maps
            else:
                if anchor not in ordered:
                    ordered[anchor] = sorted(test_roots.get(anchor, ()), key=order.__getitem__)
                trees = ordered[anchor]
            for root in trees:
                keys_to_position = maps[root]
                if needed <= keys_to_position.keys():
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

"""All topics' and watch lists' terms found in one pass (R5.7, issue 22 item 3).

A `Matcher` is built once from labelled queries (a topic, a watched organisation or person): every key of every
query goes into one Aho–Corasick automaton (pyahocorasick) over the folded text, padded with spaces so a key
only matches whole syllables. A hit of a key typed with marks is kept only when the marked text at the same span
is the key's marked form ("bão" does not match "báo"; "bao" matches both). Then only the queries that have a hit
(and those true on an empty text, such as a lone NOT) are evaluated. Built matchers are kept per process through
`RefCache` by the selector that loads the queries (`selectors.matcher`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import ahocorasick

from ioc.media_watch.query import Hits, Key, Node, evaluate, keys
from ioc.media_watch.text import fold_aligned, normalise


@dataclass(frozen=True)
class Rule:
    """One labelled query (label: what the caller recognises, e.g. ("topic", 7))."""

    label: Hashable
    tree: Node


@dataclass
class Matcher:
    """The one-pass matcher of a set of rules."""

    rules: list[Rule]
    _automaton: ahocorasick.Automaton = field(init=False, repr=False)
    _rules_of_key: dict[Key, list[int]] = field(init=False, repr=False)
    _always: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_folded: dict[str, list[Key]] = defaultdict(list)
        self._rules_of_key = defaultdict(list)
        for index, rule in enumerate(self.rules):
            for key in keys(rule.tree):
                if key not in self._rules_of_key:
                    by_folded[key.folded].append(key)
                self._rules_of_key[key].append(index)
        self._automaton = ahocorasick.Automaton()
        for folded, group in by_folded.items():
            self._automaton.add_word(f" {folded} ", tuple(group))
        if by_folded:
            self._automaton.make_automaton()
        self._always = [i for i, rule in enumerate(self.rules) if evaluate(rule.tree, {})]

    def hits(self, normalised: str) -> Hits:
        """Every key found in a normalised text, with the syllable index of each occurrence."""
        if not self._rules_of_key:
            return {}
        marked = f" {normalised} "
        folded = fold_aligned(marked)
        found: Hits = defaultdict(list)
        for end, group in self._automaton.iter(folded):
            start = end - len(group[0].folded) - 1  # the leading space of the padded key
            for key in group:
                if key.marked is None or marked[start + 1 : end] == key.marked:
                    found[key].append(marked.count(" ", 0, start + 1) - 1)
        return found

    def match(self, text: str, *, normalised: bool = False) -> list[Hashable]:
        """The labels of the rules `text` matches, in the order the rules were given."""
        hits = self.hits(text if normalised else normalise(text))
        candidates = set(self._always)
        for key in hits:
            candidates.update(self._rules_of_key[key])
        return [self.rules[i].label for i in sorted(candidates) if evaluate(self.rules[i].tree, hits)]


def build(rules: Iterable[tuple[Hashable, Node]]) -> Matcher:
    return Matcher([Rule(label, tree) for label, tree in rules])

"""The matcher of every active topic and watched name, built once per process (R5.7, issue 22 item 3)."""

from __future__ import annotations

from collections.abc import Hashable

from ioc.common.refcache import RefCache
from ioc.media_watch.matching import Matcher, build
from ioc.media_watch.models import Topic, WatchEntity
from ioc.media_watch.query import Node, Or, QueryError, Term, parse

RULES: RefCache[Matcher] = RefCache("media_watch.rules")


def entity_tree(names: list[str]) -> Node | None:
    """A watched organisation or person as a query: any of its names, each a phrase."""
    terms: list[Node] = []
    for name in names:
        try:
            tree = parse('"' + name.replace('"', " ") + '"')
        except QueryError:
            continue
        if isinstance(tree, Term):
            terms.append(tree)
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else Or(tuple(terms))


def _load() -> Matcher:
    rules: list[tuple[Hashable, Node]] = []
    for topic in Topic.objects.filter(is_active=True).only("pk", "query"):
        try:
            rules.append((("topic", topic.pk), parse(topic.query)))
        except QueryError:  # saved queries are checked by topic_set; an old one that no longer parses is skipped
            continue
    entities = WatchEntity.objects.filter(is_active=True, watch_list__is_active=True).only("pk", "name", "aliases")
    for entity in entities:
        tree = entity_tree(entity.names())
        if tree is not None:
            rules.append((("entity", entity.pk), tree))
    return build(rules)


def matcher() -> Matcher:
    """R5.7: the one-pass matcher of all active topics and watched names (per process, RefCache)."""
    return RULES.get("all", _load)

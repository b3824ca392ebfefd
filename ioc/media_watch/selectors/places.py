"""Places mentioned in an item (R5.7, issue 22 item 3): unit names of `geo`, 2025 and legacy ("huyện Lộc Ninh").

The gazetteer is built once per process (RefCache) into the same one-pass matcher as topics, from two kinds of
names typed with their marks (so only those marks match):
- full names with their type ("phường Lộc Ninh", "huyện Lộc Ninh", "tỉnh Hưng Yên"), always;
- bare names of two syllables or more ("Lộc Ninh"), only where exactly one unit carries that name among the
  deployment's own units (its territory's communes and provinces with their legacy predecessors; every unit when
  no territory is set), a 2025 unit preferred over a legacy one.
A legacy unit counts for area figures through its 2025 successor when it has exactly one (`area_unit_ids`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable

from django.conf import settings

from ioc.common.refcache import RefCache
from ioc.geo.models import AdminUnit, Succession
from ioc.geo.selectors import territory_commune_ids
from ioc.media_watch.matching import Matcher, build
from ioc.media_watch.query import Key, Node, Term
from ioc.media_watch.text import fold_aligned, normalise

PLACES: RefCache[tuple[Matcher, dict[int, int | None]]] = RefCache("media_watch.places", recheck_seconds=300)


def _key(name: str) -> Key | None:
    normal = normalise(name)
    if not normal:
        return None
    folded = fold_aligned(normal)
    return Key(folded=folded, marked=normal if normal != folded else None)


def _local_units() -> list[AdminUnit]:
    communes = territory_commune_ids(profile=getattr(settings, "IOC_PROFILE", ""))
    units = AdminUnit.objects.only("pk", "name", "full_name", "hierarchy", "level", "parent_id")
    if communes is None:
        return list(units)
    provinces = set(AdminUnit.objects.filter(pk__in=communes).values_list("parent_id", flat=True))
    legacy = set(Succession.objects.filter(new_id__in=communes).values_list("old_id", flat=True))
    legacy_parents = set(AdminUnit.objects.filter(pk__in=legacy).values_list("parent_id", flat=True))
    wanted = set(communes) | provinces | legacy | {p for p in legacy_parents if p}
    return list(units.filter(pk__in=wanted))


def _successor_map(units: list[AdminUnit]) -> dict[int, int | None]:
    """Each unit → the 2025 unit its mentions count for (itself, a single successor, or None)."""
    successors: dict[int, set[int]] = defaultdict(set)
    legacy_ids = [u.pk for u in units if u.hierarchy != "2025"]
    for old, new in Succession.objects.filter(old_id__in=legacy_ids).values_list("old_id", "new_id"):
        successors[old].add(new)
    return {
        u.pk: u.pk if u.hierarchy == "2025" else (next(iter(successors[u.pk])) if len(successors[u.pk]) == 1 else None)
        for u in units
    }


def _load() -> tuple[Matcher, dict[int, int | None]]:
    units = _local_units()
    rules: list[tuple[Hashable, Node]] = []
    by_full: dict[Key, list[AdminUnit]] = defaultdict(list)
    by_bare: dict[Key, list[AdminUnit]] = defaultdict(list)
    for unit in units:
        full, bare = _key(unit.full_name), _key(unit.name)
        if full is not None:
            by_full[full].append(unit)
        if bare is not None and bare.size >= 2 and bare != full:
            by_bare[bare].append(unit)
    for key, named in [*by_full.items(), *by_bare.items()]:
        modern = [u for u in named if u.hierarchy == "2025"]
        chosen = modern if modern else named
        if len(chosen) == 1:  # a name several units carry says nothing about where
            rules.append((chosen[0].pk, Term(key)))
    return build(rules), _successor_map(units)


def places_found(normalised: str) -> list[int]:
    """R5.7: the ids of the units a normalised text names (2025 or legacy), without repeats, in id order."""
    matcher, _successors = PLACES.get("all", _load)
    return sorted({int(label) for label in matcher.match(normalised, normalised=True)})  # type: ignore[call-overload]


def area_unit_ids(unit_ids: list[int]) -> list[int]:
    """The 2025 units the places count for (legacy through a single successor)."""
    _matcher, successors = PLACES.get("all", _load)
    return sorted({s for pk in unit_ids if (s := successors.get(pk)) is not None})

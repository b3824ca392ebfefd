"""Reading an act's text (R11): its articles, their clauses and points, and whether a citation names one.

Pure functions, no database. A citation is `<seed>:<article>[.<clause>][<point>]`: `003:11.6` is clause 6 of
Điều 11 of seed 003, `000:15.3d` point d) of it, `001:2` a whole article (Quảng Nam's act numbers no clauses).
Only the regulation itself counts ("QUY CHẾ" heading onwards), not the decision that issues it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CITATION = re.compile(r"^(?P<seed>\d{3}):(?P<article>\d+)(?:\.(?P<clause>\d+))?(?P<point>[a-zđ])?$")
_REGULATION_START = re.compile(r"^[#*\s]*QUY CHẾ[*\s]*$", re.M)
_ARTICLE = re.compile(r"^[#*\s]*Điều\s+(\d+)\s*\.\s*\**\s*(.*?)\s*\**\s*$")
_CLAUSE = re.compile(r"^[*\s]*(\d+)\.\s")
_POINT = re.compile(r"^[*\s]*([a-zđ])\)\s")
EXCERPT_CHARS = 400


@dataclass
class Article:
    """One article of the regulation: its number, title, first words, and clause → points found in it."""

    number: int
    title: str
    excerpt: str = ""
    clauses: dict[int, set[str]] = field(default_factory=dict)

    def has(self, clause: int | None, point: str | None) -> bool:
        if clause is None:
            return point is None
        if clause not in self.clauses:
            return False
        return point is None or point in self.clauses[clause]


def regulation_body(text: str) -> str:
    """The regulation's part of the act's text (after its last "QUY CHẾ" heading), or the whole text."""
    starts = list(_REGULATION_START.finditer(text))
    return text[starts[-1].end() :] if starts else text


def articles_parse(text: str) -> dict[int, Article]:
    """The articles of the regulation by number (a repeated number keeps the first: the decision's own are cut)."""
    found: dict[int, Article] = {}
    current: Article | None = None
    clause: int | None = None
    body: list[str] = []
    for line in regulation_body(text).splitlines():
        heading = _ARTICLE.match(line)
        if heading:
            _close(current, body)
            number = int(heading.group(1))
            current = None if number in found else Article(number, heading.group(2).strip(" .:*"))
            if current is not None:
                found[number] = current
            clause, body = None, []
            continue
        if current is None:
            continue
        body.append(line.strip())
        if match := _CLAUSE.match(line):
            clause = int(match.group(1))
            current.clauses.setdefault(clause, set())
        elif (match := _POINT.match(line)) and clause is not None:
            current.clauses[clause].add(match.group(1))
    _close(current, body)
    return found


def _close(article: Article | None, body: list[str]) -> None:
    if article is not None and not article.excerpt:
        text = " ".join(part for part in body if part)
        article.excerpt = text[:EXCERPT_CHARS].rstrip() + ("…" if len(text) > EXCERPT_CHARS else "")


def citation_exists(articles: dict[int, Article], citation: str, *, seed: str) -> bool:
    """Whether `citation` (`003:11.6`) names an article, clause or point of these articles of act `seed`."""
    match = CITATION.match(citation or "")
    if match is None or match.group("seed") != seed:
        return False
    article = articles.get(int(match.group("article")))
    if article is None:
        return False
    clause = match.group("clause")
    return article.has(int(clause) if clause else None, match.group("point"))

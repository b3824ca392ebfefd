"""Boolean queries of topics and watch lists (R5.7, issue 22 item 3), parsed without `eval`.

    query   := or
    or      := and ("OR" and)*
    and     := unary (["AND"] unary)*          two operands side by side mean AND
    unary   := "NOT" unary | near
    near    := primary ("NEAR/" n primary)*   n syllables at most between the two (1 ≤ n ≤ 50)
    primary := word | "phrase" | "(" or ")"

Operators are upper case (a lower-case "or" is a word). A word or a phrase is a sequence of syllables
(`text.syllables`); typed without marks it matches any marks, typed with marks only those marks. A query
that does not parse raises `QueryError` naming the character position (from 1) and the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ioc.media_watch.text import fold_aligned, syllables

MAX_LENGTH = 2000
MAX_NEAR = 50
_TOKEN = re.compile(r'\s*(?:(?P<open>\()|(?P<close>\))|(?P<quote>")|(?P<near>NEAR/\S*)|(?P<word>[^\s()"]+))')


class QueryError(ValueError):
    """The query does not parse: `position` (1-based character) and the reason."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(_("Lỗi ở vị trí %(position)d: %(reason)s") % {"position": position, "reason": message})
        self.position = position
        self.reason = message


@dataclass(frozen=True)
class Key:
    """What the automaton looks for: syllables folded, and the marked form when the user typed marks."""

    folded: str
    marked: str | None

    @property
    def size(self) -> int:
        return self.folded.count(" ") + 1


@dataclass(frozen=True)
class Term:
    key: Key


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Near:
    left: Term
    right: Term
    distance: int


Node = Term | Not | And | Or | Near


@dataclass(frozen=True)
class _Token:
    kind: str  # open, close, phrase, near, word, AND, OR, NOT, end
    text: str
    position: int  # 1-based


def _key(text: str, position: int) -> Key:
    normal = " ".join(syllables(text))
    if not normal:
        raise QueryError(_("“%(text)s” không có chữ hay số nào để tìm.") % {"text": text}, position)
    folded = fold_aligned(normal)
    return Key(folded=folded, marked=normal if normal != folded else None)


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    index = 0
    while index < len(query):
        match = _TOKEN.match(query, index)
        if match is None or match.end() == index:  # only trailing spaces are left
            break
        kind = match.lastgroup or "word"
        start = match.start(kind) + 1
        index = match.end()
        if kind == "quote":
            closing = query.find('"', index)
            if closing < 0:
                raise QueryError(_("Thiếu dấu ngoặc kép đóng cụm từ."), start)
            tokens.append(_Token("phrase", query[index:closing], start))
            index = closing + 1
            continue
        text = match.group(kind)
        if kind == "word" and text in ("AND", "OR", "NOT"):
            kind = text
        tokens.append(_Token(kind, text, start))
    tokens.append(_Token("end", "", len(query) + 1))
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.current
        self.index += 1
        return token

    def parse_or(self) -> Node:
        operands = [self.parse_and()]
        while self.current.kind == "OR":
            self.advance()
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def parse_and(self) -> Node:
        operands = [self.parse_unary()]
        while self.current.kind not in ("OR", "close", "end"):
            if self.current.kind == "AND":
                self.advance()
            operands.append(self.parse_unary())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def parse_unary(self) -> Node:
        if self.current.kind == "NOT":
            self.advance()
            return Not(self.parse_unary())
        return self.parse_near()

    def parse_near(self) -> Node:
        left = self.parse_primary()
        while self.current.kind == "near":
            token = self.advance()
            distance = _near_distance(token)
            right = self.parse_primary()
            if not isinstance(left, Term) or not isinstance(right, Term):
                raise QueryError(_("NEAR chỉ nối hai từ hoặc hai cụm từ."), token.position)
            left = Near(left, right, distance)  # type: ignore[assignment]
        return left

    def parse_primary(self) -> Node:
        token = self.advance()
        if token.kind in ("word", "phrase"):
            return Term(_key(token.text, token.position))
        if token.kind == "open":
            inner = self.parse_or()
            if self.current.kind != "close":
                raise QueryError(_("Thiếu dấu ngoặc đóng “)”."), self.current.position)
            self.advance()
            return inner
        if token.kind == "end":
            raise QueryError(_("Truy vấn kết thúc khi còn thiếu một từ."), token.position)
        raise QueryError(_("Không chờ “%(text)s” ở đây.") % {"text": token.text}, token.position)


def _near_distance(token: _Token) -> int:
    digits = token.text[len("NEAR/") :]
    if not digits.isdigit() or not 1 <= int(digits) <= MAX_NEAR:
        raise QueryError(_("NEAR/n cần một số n từ 1 đến %(max)d.") % {"max": MAX_NEAR}, token.position)
    return int(digits)


def parse(query: str) -> Node:
    """R5.7: the tree of `query`; raises QueryError naming the position and the reason."""
    if not query.strip():
        raise QueryError(_("Truy vấn trống."), 1)
    if len(query) > MAX_LENGTH:
        raise QueryError(_("Truy vấn dài quá %(max)d ký tự.") % {"max": MAX_LENGTH}, MAX_LENGTH + 1)
    parser = _Parser(_tokens(query))
    tree = parser.parse_or()
    if parser.current.kind != "end":
        raise QueryError(_("Không chờ “%(text)s” ở đây.") % {"text": parser.current.text}, parser.current.position)
    return tree


def keys(node: Node) -> set[Key]:
    """Every key the automaton must find for `node`."""
    if isinstance(node, Term):
        return {node.key}
    if isinstance(node, Not):
        return keys(node.operand)
    if isinstance(node, Near):
        return {node.left.key, node.right.key}
    return set().union(*(keys(operand) for operand in node.operands))


Hits = dict[Key, list[int]]  # key → the syllable index of each occurrence


def evaluate(node: Node, hits: Hits) -> bool:
    """Whether a text whose occurrences are `hits` matches `node`."""
    if isinstance(node, Term):
        return node.key in hits
    if isinstance(node, Not):
        return not evaluate(node.operand, hits)
    if isinstance(node, And):
        return all(evaluate(operand, hits) for operand in node.operands)
    if isinstance(node, Or):
        return any(evaluate(operand, hits) for operand in node.operands)
    return _near(node, hits)


def _near(node: Near, hits: Hits) -> bool:
    """At most `distance` syllables between an occurrence of one side and one of the other, either order."""
    lefts, rights = hits.get(node.left.key, []), hits.get(node.right.key, [])
    left_size, right_size = node.left.key.size, node.right.key.size
    for a in lefts:
        for b in rights:
            gap = b - (a + left_size) if b >= a else a - (b + right_size)
            if 0 <= gap <= node.distance:
                return True
    return False

"""The OData subset SensorThings 1.1 uses (R5.5): a tokenizer and a precedence-climbing parser for `$filter`
and `$orderby` expressions, and the parsers of `$expand`, `$select`, `$top`, `$skip` and `$count`.

It only builds a small tree (`Literal`, `Path`, `Call`, `Binary`, `Unary`); `compile.py` turns the tree into
Django expressions for one entity set. Every mistake is a `QueryError` naming the option and the position.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry


class QueryError(ValueError):
    """A malformed or unknown query option: answered 400 in SensorThings' error format."""


# --- the tree --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    value: Any
    kind: str  # "string" | "number" | "bool" | "null" | "datetime" | "geo"


@dataclass(frozen=True)
class Path:
    segments: tuple[str, ...]


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Unary:
    op: str  # "not" | "-"
    operand: Node


Node = Literal | Path | Call | Binary | Unary

# --- tokens ----------------------------------------------------------------------------------------------------

_DATETIME = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})"
_TOKEN = re.compile(
    rf"""\s*(?:
      (?P<geo>(?:geography|geometry)'[^']*')
    | (?P<string>'(?:[^']|'')*')
    | (?P<datetime>{_DATETIME})
    | (?P<date>\d{{4}}-\d{{2}}-\d{{2}}(?![\dT]))
    | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
    | (?P<name>[A-Za-z_@$][A-Za-z0-9_.@$]*)
    | (?P<punct>[()/,])
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.lastgroup is None:
            raise QueryError(f"Ký tự không hợp lệ ở vị trí {pos} / Unexpected character at position {pos}")
        tokens.append(Token(match.lastgroup, match.group(match.lastgroup), match.start(match.lastgroup)))
        pos = match.end()
    return tokens


# --- literals --------------------------------------------------------------------------------------------------


def parse_datetime(text: str) -> dt.datetime:
    """An ISO 8601 instant with a zone (`Z` or `+07:00`); naive times are refused."""
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise QueryError(f"Thời điểm không hợp lệ: {text} / Invalid time: {text}") from None
    if value.tzinfo is None:
        raise QueryError(f"Thời điểm thiếu múi giờ: {text} / Time without a zone: {text}")
    try:
        value.astimezone(dt.UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00:00+14:00: before the first instant a datetime can hold
        raise QueryError(f"Thời điểm ngoài phạm vi: {text} / Time out of range: {text}") from None
    return value


def _geo_literal(text: str) -> BaseGeometry:
    wkt = text[text.index("'") + 1 : -1]
    try:
        geometry = shapely.from_wkt(wkt)
    except shapely.errors.GEOSException:
        raise QueryError(f"WKT không hợp lệ: {wkt[:60]} / Invalid WKT") from None
    if geometry is None or geometry.is_empty:
        raise QueryError("WKT rỗng / Empty WKT")
    return geometry


def _number(text: str) -> int | float:
    return float(text) if any(c in text for c in ".eE") else int(text)


# --- the parser ------------------------------------------------------------------------------------------------

# Binding power of the binary operators (OData 4: or < and < eq,ne < gt,ge,lt,le < add,sub < mul,div,mod).
BINARY = {
    "or": 1,
    "and": 2,
    "eq": 3,
    "ne": 3,
    "gt": 4,
    "ge": 4,
    "lt": 4,
    "le": 4,
    "add": 5,
    "sub": 5,
    "mul": 6,
    "div": 6,
    "mod": 6,
}
_MAX_DEPTH = 40


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.index = 0
        self.depth = 0

    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise QueryError("Biểu thức kết thúc đột ngột / Unexpected end of expression")
        self.index += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token.text != text:
            raise QueryError(f"Cần '{text}' ở vị trí {token.pos} / Expected '{text}' at position {token.pos}")

    def expression(self, min_power: int = 1) -> Node:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise QueryError("Biểu thức lồng quá sâu / Expression nested too deeply")
        left = self.unary()
        while (token := self.peek()) is not None and token.kind == "name" and token.text in BINARY:
            power = BINARY[token.text]
            if power < min_power:
                break
            self.index += 1
            left = Binary(token.text, left, self.expression(power + 1))
        self.depth -= 1
        return left

    def unary(self) -> Node:
        token = self.peek()
        if token is not None and token.kind == "name" and token.text == "not":
            self.index += 1
            return Unary("not", self.unary())
        return self.primary()

    def primary(self) -> Node:
        token = self.take()
        if token.text == "(":
            inner = self.expression()
            self.expect(")")
            return inner
        if token.kind == "name":
            return self.name(token)
        return self.literal(token)

    def literal(self, token: Token) -> Literal:
        if token.kind == "string":
            return Literal(token.text[1:-1].replace("''", "'"), "string")
        if token.kind == "number":
            return Literal(_number(token.text), "number")
        if token.kind == "datetime":
            return Literal(parse_datetime(token.text), "datetime")
        if token.kind == "date":
            return Literal(parse_datetime(token.text + "T00:00:00Z"), "datetime")
        if token.kind == "geo":
            return Literal(_geo_literal(token.text), "geo")
        raise QueryError(f"Không mong đợi '{token.text}' ở vị trí {token.pos} / Unexpected '{token.text}'")

    def name(self, token: Token) -> Node:
        lowered = token.text.lower()
        if lowered in ("true", "false"):
            return Literal(lowered == "true", "bool")
        if lowered == "null":
            return Literal(None, "null")
        if token.text in BINARY:
            raise QueryError(f"Thiếu toán hạng trước '{token.text}' / Missing operand before '{token.text}'")
        following = self.peek()
        if following is not None and following.text == "(":
            self.index += 1
            return Call(lowered, self.arguments())
        segments = [token.text]
        while (slash := self.peek()) is not None and slash.text == "/":
            self.index += 1
            part = self.take()
            if part.kind != "name":
                raise QueryError(f"Đường dẫn không hợp lệ ở vị trí {part.pos} / Invalid path at position {part.pos}")
            segments.append(part.text)
        return Path(tuple(segments))

    def arguments(self) -> tuple[Node, ...]:
        args: list[Node] = []
        if (token := self.peek()) is not None and token.text == ")":
            self.index += 1
            return ()
        while True:
            args.append(self.expression())
            token = self.take()
            if token.text == ")":
                return tuple(args)
            if token.text != ",":
                raise QueryError(f"Cần ',' hoặc ')' ở vị trí {token.pos} / Expected ',' or ')' at {token.pos}")

    def done(self) -> None:
        token = self.peek()
        if token is not None:
            raise QueryError(f"Thừa '{token.text}' ở vị trí {token.pos} / Unexpected '{token.text}' at {token.pos}")


def parse_expression(text: str) -> Node:
    """One `$filter` (or `$orderby` item) expression."""
    if not text.strip():
        raise QueryError("Biểu thức rỗng / Empty expression")
    parser = _Parser(text)
    node = parser.expression()
    parser.done()
    return node


# --- query options ---------------------------------------------------------------------------------------------

TOP_DEFAULT = 100
TOP_MAX = 10_000


@dataclass
class Expand:
    nav: str
    options: QueryOptions


@dataclass
class QueryOptions:
    filter: Node | None = None
    orderby: list[tuple[Node, bool]] = field(default_factory=list)  # (expression, descending)
    select: list[str] | None = None
    expand: list[Expand] = field(default_factory=list)
    top: int | None = None
    skip: int = 0
    count: bool = False

    @property
    def limit(self) -> int:
        return TOP_DEFAULT if self.top is None else self.top


def split_top_level(text: str, separator: str) -> list[str]:
    """Split at `separator` outside parentheses and quotes."""
    parts: list[str] = []
    depth, quoted, start = 0, False, 0
    for i, char in enumerate(text):
        if char == "'":
            quoted = not quoted
        elif quoted:
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise QueryError("Thừa dấu ')' / Unbalanced ')'")
        elif char == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    if depth or quoted:
        raise QueryError("Thiếu dấu ')' hoặc dấu nháy / Unbalanced parenthesis or quote")
    parts.append(text[start:])
    return parts


def _int_option(name: str, text: str, maximum: int) -> int:
    if not re.fullmatch(r"\d{1,9}", text.strip()):
        raise QueryError(f"{name} phải là số nguyên không âm / {name} must be a non-negative integer")
    value = int(text)
    if value > maximum:
        raise QueryError(f"{name} tối đa {maximum} / {name} is at most {maximum}")
    return value


def _orderby(text: str) -> list[tuple[Node, bool]]:
    items = []
    for part in split_top_level(text, ","):
        words = part.strip().rsplit(None, 1)
        descending = len(words) == 2 and words[1].lower() == "desc"
        expression = words[0] if len(words) == 2 and words[1].lower() in ("asc", "desc") else part
        items.append((parse_expression(expression), descending))
    return items


def _select(text: str) -> list[str]:
    names = [part.strip() for part in text.split(",")]
    if not all(re.fullmatch(r"[@A-Za-z][\w@.]*", name) for name in names):
        raise QueryError("$select: danh sách thuộc tính không hợp lệ / invalid property list")
    return names


def _expand(text: str) -> list[Expand]:
    items: list[Expand] = []
    for part in split_top_level(text, ","):
        part = part.strip()
        options_text = ""
        if part.endswith(")") and "(" in part:
            head = part[: part.index("(")]
            options_text = part[len(head) + 1 : -1]
            part = head
        segments = part.split("/")
        if not all(re.fullmatch(r"[A-Za-z]+", s) for s in segments):
            raise QueryError(f"$expand: không hiểu '{part}' / cannot read '{part}'")
        options = parse_options(dict(_option_pairs(options_text))) if options_text else QueryOptions()
        for segment in reversed(segments[1:]):
            options = QueryOptions(expand=[Expand(segment, options)])
        items.append(Expand(segments[0], options))
    return items


def _option_pairs(text: str) -> list[tuple[str, str]]:
    pairs = []
    for part in split_top_level(text, ";"):
        if "=" not in part:
            raise QueryError(f"Tùy chọn không hợp lệ: '{part}' / Invalid option: '{part}'")
        key, value = part.split("=", 1)
        pairs.append((key.strip(), value))
    return pairs


KNOWN_OPTIONS = {"$filter", "$orderby", "$select", "$expand", "$top", "$skip", "$count", "$resultFormat"}


def parse_options(params: dict[str, str]) -> QueryOptions:
    """The query options of one request (or of one `$expand` item)."""
    unknown = sorted(k for k in params if k.startswith("$") and k not in KNOWN_OPTIONS)
    if unknown:
        raise QueryError(f"Tùy chọn không được hỗ trợ: {unknown[0]} / Unsupported option: {unknown[0]}")
    options = QueryOptions()
    if "$filter" in params:
        options.filter = parse_expression(params["$filter"])
    if "$orderby" in params:
        options.orderby = _orderby(params["$orderby"])
    if "$select" in params:
        options.select = _select(params["$select"])
    if "$expand" in params:
        options.expand = _expand(params["$expand"])
    if "$top" in params:
        options.top = _int_option("$top", params["$top"], TOP_MAX)
    if "$skip" in params:
        options.skip = _int_option("$skip", params["$skip"], 10**9)
    if "$count" in params:
        value = params["$count"].strip().lower()
        if value not in ("true", "false"):
            raise QueryError("$count phải là true hoặc false / $count must be true or false")
        options.count = value == "true"
    return options

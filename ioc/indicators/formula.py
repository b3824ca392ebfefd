"""R2.1: the safe formula language of computed indicators — no `eval`.

    expr := a tokenizer, then precedence climbing over  or  and  comparisons  + −  × ÷ (also * /), unary minus
    atoms: numbers (1.5, 1e3), indicator codes (`grdp_growth`, or `{grdp-growth}` for any code), parentheses,
           if(condition, then, else), min(a, b, …), max(a, b, …)

`parse()` returns a tree (tuples), `references()` the codes it names, `evaluate()` computes it over numpy arrays
(one element per unit × period; division by zero gives NaN, which is then not stored). `check_formulas()` refuses
unknown codes and cycles across a whole catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]
Node = tuple[Any, ...]  # ("num", 1.0) ("ref", code) (op, left, right) ("neg", x) (function, [args])

MAX_LENGTH = 500
FUNCTIONS = frozenset({"if", "min", "max"})
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\{(?P<braced>[A-Za-z0-9_-]+)\}|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op><=|>=|==|!=|[-+*/×÷−()<>,]))"
)
# Binary operators: precedence and the tree tag.
_BINARY = {
    "or": (1, "or"),
    "and": (2, "and"),
    "<": (3, "<"),
    "<=": (3, "<="),
    ">": (3, ">"),
    ">=": (3, ">="),
    "==": (3, "=="),
    "!=": (3, "!="),
    "+": (4, "+"),
    "-": (4, "-"),
    "−": (4, "-"),
    "*": (5, "*"),
    "×": (5, "*"),
    "/": (5, "/"),
    "÷": (5, "/"),
}


class FormulaError(ValueError):
    """A formula that cannot be parsed or evaluated; the message is Vietnamese first and names the place."""


@dataclass(frozen=True)
class Token:
    kind: str  # num, code, name, op, end
    text: str
    at: int


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"Công thức dài quá {MAX_LENGTH} ký tự / Formula longer than {MAX_LENGTH} characters")
    tokens: list[Token] = []
    pos = 0
    stripped = text.rstrip()
    while pos < len(stripped):
        match = _TOKEN.match(stripped, pos)
        if match is None or match.end() == pos:
            raise FormulaError(f"Ký tự không hợp lệ ở vị trí {pos + 1} / Unexpected character at {pos + 1}")
        kind = match.lastgroup or ""
        value, at = match.group(kind), match.start(kind) + 1
        if kind == "braced" or (kind == "name" and value not in FUNCTIONS and value not in ("and", "or")):
            kind = "code"
        elif kind == "name":
            kind = "op" if value in ("and", "or") else "name"
        tokens.append(Token(kind, value, at))
        pos = match.end()
    tokens.append(Token("end", "", len(stripped) + 1))
    return tokens


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> Token:
        return self.tokens[self.pos]

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token.text != text:
            raise FormulaError(f"Thiếu '{text}' ở vị trí {token.at} / Expected '{text}' at {token.at}")

    def expression(self, min_precedence: int = 1) -> Node:
        left = self.unary()
        while True:
            token = self.peek()
            if token.kind != "op" or token.text not in _BINARY:
                return left
            precedence, tag = _BINARY[token.text]
            if precedence < min_precedence:
                return left
            self.take()
            right = self.expression(precedence + 1)  # left-associative
            left = (tag, left, right)

    def unary(self) -> Node:
        token = self.peek()
        if token.kind == "op" and token.text in ("-", "−", "+"):
            self.take()
            operand = self.unary()
            return ("neg", operand) if token.text != "+" else operand
        return self.atom()

    def atom(self) -> Node:
        token = self.take()
        if token.kind == "num":
            return ("num", float(token.text))
        if token.kind == "code":
            return ("ref", token.text)
        if token.kind == "name":
            return self.call(token)
        if token.text == "(":
            inner = self.expression()
            self.expect(")")
            return inner
        where = token.at
        if token.kind == "end":
            raise FormulaError(f"Công thức kết thúc giữa chừng (vị trí {where}) / Formula ends too early")
        raise FormulaError(f"Không chờ '{token.text}' ở vị trí {where} / Unexpected '{token.text}' at {where}")

    def call(self, token: Token) -> Node:
        self.expect("(")
        args = [self.expression()]
        while self.peek().text == ",":
            self.take()
            args.append(self.expression())
        self.expect(")")
        if token.text == "if" and len(args) != 3:
            raise FormulaError("if cần đúng 3 tham số: if(điều kiện, khi đúng, khi sai) / if takes 3 arguments")
        if token.text in ("min", "max") and len(args) < 2:
            raise FormulaError(f"{token.text} cần ít nhất 2 tham số / {token.text} takes 2 or more arguments")
        return (token.text, args)


def parse(text: str) -> Node:
    """The formula's tree; FormulaError naming the position when it is not valid."""
    if not text.strip():
        raise FormulaError("Công thức trống / Empty formula")
    parser = _Parser(tokenize(text))
    tree = parser.expression()
    rest = parser.peek()
    if rest.kind != "end":
        raise FormulaError(f"Thừa '{rest.text}' ở vị trí {rest.at} / Unexpected '{rest.text}' at {rest.at}")
    return tree


def references(tree: Node) -> set[str]:
    """The indicator codes a formula's tree names."""
    tag = tree[0]
    if tag == "ref":
        return {str(tree[1])}
    if tag == "num":
        return set()
    found: set[str] = set()
    children = tree[1] if tag in FUNCTIONS else tree[1:]
    for child in children:
        found |= references(child)
    return found


def _binary(tag: str, a: Array, b: Array) -> Array:
    with np.errstate(divide="ignore", invalid="ignore"):
        if tag == "+":
            return a + b
        if tag == "-":
            return a - b
        if tag == "*":
            return a * b
        if tag == "/":
            return np.where(b == 0, np.nan, a / np.where(b == 0, 1.0, b))
    compared = {
        "<": np.less,
        "<=": np.less_equal,
        ">": np.greater,
        ">=": np.greater_equal,
        "==": np.equal,
        "!=": np.not_equal,
    }
    if tag in compared:
        return np.asarray(compared[tag](a, b), dtype=np.float64)
    if tag == "and":
        return np.asarray((a != 0) & (b != 0), dtype=np.float64)
    return np.asarray((a != 0) | (b != 0), dtype=np.float64)


def evaluate(tree: Node, env: Mapping[str, Array], size: int) -> Array:
    """The formula over arrays of `size` elements (one per unit × period); a missing operand is NaN."""
    tag = tree[0]
    if tag == "num":
        return np.full(size, float(tree[1]))
    if tag == "ref":
        found = env.get(str(tree[1]))
        return np.full(size, np.nan) if found is None else np.asarray(found, dtype=np.float64)
    if tag == "neg":
        return -evaluate(tree[1], env, size)
    if tag in FUNCTIONS:
        args = [evaluate(arg, env, size) for arg in tree[1]]
        if tag == "if":
            chosen = np.where(np.isnan(args[0]), np.nan, np.where(args[0] != 0, args[1], args[2]))
            return np.asarray(chosen, dtype=np.float64)
        stacked = np.vstack(args)
        return np.asarray(np.min(stacked, axis=0) if tag == "min" else np.max(stacked, axis=0), dtype=np.float64)
    return _binary(tag, evaluate(tree[1], env, size), evaluate(tree[2], env, size))


def check_formulas(formulas: Mapping[str, str], known: set[str]) -> dict[str, str]:
    """Errors by code for a catalogue's formulas: syntax, unknown codes, cycles (`a → b → a`). Empty when sound."""
    errors: dict[str, str] = {}
    graph: dict[str, set[str]] = {}
    for code, text in formulas.items():
        try:
            graph[code] = references(parse(text))
        except FormulaError as exc:
            errors[code] = str(exc)
            continue
        unknown = sorted(graph[code] - known)
        if unknown:
            errors[code] = "Mã chỉ số không tồn tại / Unknown indicator code: " + ", ".join(unknown)
    for code in graph:
        cycle = _cycle_from(code, graph)
        if cycle and code not in errors:
            errors[code] = "Công thức vòng tròn / Formula cycle: " + " → ".join(cycle)
    return errors


def _cycle_from(start: str, graph: Mapping[str, set[str]]) -> list[str]:
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in graph.get(node, ()):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return []


def evaluation_order(formulas: Mapping[str, str]) -> list[str]:
    """Formula codes so that each comes after the formulas it reads (the catalogue has been checked: no cycle)."""
    graph = {code: references(parse(text)) for code, text in formulas.items()}
    order: list[str] = []
    done: set[str] = set()

    def visit(code: str) -> None:
        if code in done:
            return
        done.add(code)
        for dep in sorted(graph[code] & graph.keys()):
            visit(dep)
        order.append(code)

    for code in sorted(graph):
        visit(code)
    return order

"""Cross-field rules of a dataset (R1.4 "đúng"; issue 10): the Table Schema extension `ioc:rules`, a list of

- `{"if": {"field": "loai", "equals": "x"}, "require": ["y", "z"], "message": "…"}`: when the row's `loai` is
  "x", the fields `y` and `z` must be filled;
- `{"field": "ket_thuc", ">=": "bat_dau", "message": "…"}`: two fields of a row compared, one operator of
  `=`, `!=` (`≠`), `<`, `<=` (`≤`), `>`, `>=` (`≥`). Ordering compares numbers (integer, number, year) with numbers,
  dates with dates, date-times with date-times; `=` and `≠` also compare two text or yes/no fields of one type.

Each rule carries the Vietnamese `message` the officer reads beside the row. `rules_errors` names every problem
of a schema's rules by the rule's number (1-based) and the reason, for `schema.schema_errors`; `RuleSet` checks
a row's typed values (after each cell passed) and answers one `(field, value, reason)` per broken rule. A
comparison with an empty side is left to the fields' own `required`.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

MAX_RULES = 50
MAX_MESSAGE = 300
KEY = "ioc:rules"

OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "≠": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    "≤": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "≥": operator.ge,
}
_EQUALITY = frozenset({"=", "!=", "≠"})
_NUMBERS = frozenset({"integer", "number", "year"})
_ORDERED = ("date", "datetime")
_CONDITION_KEYS = frozenset({"field", "equals"})


def _family(field_type: str) -> str:
    """What two fields must share to be compared: numbers with numbers, each other type with itself."""
    return "number" if field_type in _NUMBERS else field_type


def schema_rules(schema: dict[str, Any]) -> list[dict[str, Any]]:
    rules = schema.get(KEY)
    return [r for r in rules if isinstance(r, dict)] if isinstance(rules, list) else []


def rules_errors(schema: dict[str, Any], types: dict[str, str]) -> list[str]:
    """Every problem of the schema's `ioc:rules` ("Quy tắc thứ N: …"); `types`: field name → Table Schema type."""
    if KEY not in schema:
        return []
    rules = schema[KEY]
    if not isinstance(rules, list):
        return [_("ioc:rules phải là một danh sách quy tắc.")]
    if len(rules) > MAX_RULES:
        return [_("Tối đa %(n)d quy tắc liên trường.") % {"n": MAX_RULES}]
    errors: list[str] = []
    for index, rule in enumerate(rules, start=1):
        errors.extend(
            _("Quy tắc thứ %(i)d: %(reason)s") % {"i": index, "reason": reason} for reason in _rule_errors(rule, types)
        )
    return errors


def _rule_errors(rule: Any, types: dict[str, str]) -> list[str]:
    if not isinstance(rule, dict):
        return [_("phải là một đối tượng JSON.")]
    message = rule.get("message")
    errors: list[str] = []
    if not isinstance(message, str) or not message.strip():
        errors.append(_("thiếu “message”, lời nhắn tiếng Việt cho người gửi."))
    elif len(message) > MAX_MESSAGE:
        errors.append(_("“message” dài quá %(n)d ký tự.") % {"n": MAX_MESSAGE})
    if "if" in rule or "require" in rule:
        return errors + _conditional_errors(rule, types)
    return errors + _comparison_errors(rule, types)


def _unknown(name: Any, types: dict[str, str]) -> str:
    if not isinstance(name, str) or name not in types:
        return _("trường “%(name)s” không có trong cấu trúc.") % {"name": name}
    return ""


def _conditional_errors(rule: dict[str, Any], types: dict[str, str]) -> list[str]:
    errors: list[str] = []
    extra = set(rule) - {"if", "require", "message"}
    if extra:
        errors.append(_("khóa không hỗ trợ: %(keys)s.") % {"keys": ", ".join(sorted(map(str, extra)))})
    condition = rule.get("if")
    if not isinstance(condition, dict) or set(condition) != _CONDITION_KEYS:
        errors.append(_('“if” phải có dạng {"field": …, "equals": …}.'))
    elif problem := _unknown(condition["field"], types):
        errors.append(problem)
    elif isinstance(condition["equals"], dict | list) or condition["equals"] is None:
        errors.append(_("“equals” phải là một giá trị (chữ, số hoặc đúng/sai)."))
    required = rule.get("require")
    if not isinstance(required, list) or not required:
        errors.append(_("“require” phải là danh sách trường không rỗng."))
    else:
        errors.extend(problem for name in required if (problem := _unknown(name, types)))
    return errors


def _comparison_errors(rule: dict[str, Any], types: dict[str, str]) -> list[str]:
    ops = [key for key in rule if key not in ("field", "message")]
    if "field" not in rule:
        return [_("phải có “field” và một phép so sánh, hoặc “if” và “require”.")]
    if len(ops) != 1 or ops[0] not in OPERATORS:
        shown = ", ".join(map(str, ops)) or "—"
        return [_("phép so sánh “%(op)s” không hỗ trợ (=, !=, <, <=, >, >=).") % {"op": shown}]
    op, left, right = ops[0], rule["field"], rule[ops[0]]
    errors = [problem for name in (left, right) if (problem := _unknown(name, types))]
    if errors:
        return errors
    if left == right:
        return [_("so sánh trường “%(name)s” với chính nó.") % {"name": left}]
    family, other = _family(types[left]), _family(types[right])
    if family != other:
        return [
            _("không so sánh được “%(a)s” (%(ta)s) với “%(b)s” (%(tb)s): khác kiểu dữ liệu.")
            % {"a": left, "ta": types[left], "b": right, "tb": types[right]}
        ]
    if op not in _EQUALITY and family not in ("number", *_ORDERED):
        return [_("“%(op)s” chỉ so sánh số hoặc ngày, không so sánh kiểu %(t)s.") % {"op": op, "t": types[left]}]
    if family == "geopoint":
        return [_("không so sánh tọa độ.")]
    return []


@dataclass(frozen=True)
class _Rule:
    """One compiled rule: a comparison (`left` op `right`) or a condition (`when` = `equals` → `require`)."""

    message: str
    left: str = ""
    right: str = ""
    compare: Callable[[Any, Any], bool] | None = None
    parse: Callable[[Any], Any] | None = None
    when: str = ""
    equals: Any = None
    require: tuple[str, ...] = ()


def _moment(value: Any) -> dt.datetime:
    return dt.datetime.fromisoformat(str(value))


class RuleSet:
    """A schema's rules compiled once per submission; `broken(data)` checks one row's typed values."""

    def __init__(self, schema: dict[str, Any]) -> None:
        types = {str(f.get("name")): str(f.get("type", "string")) for f in schema.get("fields", [])}
        self.rules: list[_Rule] = []
        for rule in schema_rules(schema):
            message = str(rule.get("message", ""))
            if "if" in rule:
                condition = rule["if"]
                self.rules.append(
                    _Rule(
                        message=message,
                        when=condition["field"],
                        equals=_condition_value(condition["equals"]),
                        require=tuple(rule["require"]),
                    )
                )
                continue
            op = next(key for key in rule if key not in ("field", "message"))
            left, right = rule["field"], rule[op]
            # date-times are compared as moments (their offsets may differ); dates, numbers, text as they are
            parse = _moment if types.get(left) == "datetime" else None
            self.rules.append(_Rule(message=message, left=left, right=right, compare=OPERATORS[op], parse=parse))

    def __bool__(self) -> bool:
        return bool(self.rules)

    def broken(self, data: dict[str, Any]) -> list[tuple[str, Any, str]]:
        """(field, value shown, reason) for each rule the row breaks; empty when it keeps them all."""
        found: list[tuple[str, Any, str]] = []
        for rule in self.rules:
            if rule.compare is not None:
                a, b = data.get(rule.left), data.get(rule.right)
                if a is None or b is None:
                    continue
                if rule.parse is not None:
                    a, b = rule.parse(a), rule.parse(b)
                if not rule.compare(a, b):
                    reason = f"{rule.message} ({rule.left} = {data[rule.left]}, {rule.right} = {data[rule.right]})"
                    found.append((rule.left, data[rule.left], reason))
            elif _condition_value(data.get(rule.when)) == rule.equals:
                found.extend((name, "", rule.message) for name in rule.require if _empty(data.get(name)))
        return found


def _condition_value(value: Any) -> Any:
    """A condition's value and a cell's as one comparable value: 1, 1.0 and "1" alike, True and "true" alike."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _empty(value: Any) -> bool:
    return value is None or value == ""

"""R2.1: the safe formula parser — precedence, functions, errors, unknown codes and cycles; no eval."""

import numpy as np
import pytest

from ioc.indicators.formula import FormulaError, check_formulas, evaluate, evaluation_order, parse, references


def calc(text, **env):
    arrays = {k: np.array([float(v)]) for k, v in env.items()}
    return float(evaluate(parse(text), arrays, 1)[0])


def test_precedence_and_associativity():
    assert calc("1 + 2 * 3") == 7
    assert calc("(1 + 2) * 3") == 9
    assert calc("10 - 4 - 3") == 3
    assert calc("12 ÷ 3 × 2") == 8
    assert calc("-2 * -3") == 6
    assert calc("2e3 / 1000") == 2


def test_functions_and_conditions():
    assert calc("if(a > 2, 1, 0)", a=3) == 1
    assert calc("if(a > 2 and b < 1, 1, 0)", a=3, b=2) == 0
    assert calc("min(a, b, 4)", a=7, b=5) == 4
    assert calc("max(a, {b-x})", **{"a": 1, "b-x": 9}) == 9


def test_division_by_zero_and_missing_operands_give_nan():
    assert np.isnan(calc("a / b", a=1, b=0))
    assert np.isnan(evaluate(parse("a + missing"), {"a": np.array([1.0])}, 1)[0])


def test_evaluation_is_vectorised():
    out = evaluate(parse("a * 100 / b"), {"a": np.array([1.0, 2.0]), "b": np.array([4.0, 8.0])}, 2)
    assert out.tolist() == [25.0, 25.0]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "trống"),
        ("1 +", "kết thúc"),
        ("(1 + 2", r"Thiếu '\)'"),
        ("1 2", "Thừa"),
        ("a $ b", "Ký tự không hợp lệ"),
        ("if(1, 2)", "if cần đúng 3"),
        ("min(1)", "ít nhất 2"),
        ("__import__('os')", "Ký tự không hợp lệ"),
        ("1" * 501, "dài quá"),
    ],
)
def test_bad_formulas_name_the_problem(text, fragment):
    with pytest.raises(FormulaError, match=fragment):
        parse(text)


def test_no_python_is_reachable():
    with pytest.raises(FormulaError):
        parse("a.__class__")
    assert references(parse("os + sys")) == {"os", "sys"}  # plain codes, never Python names


def test_catalogue_checks_refuse_unknown_codes_and_cycles():
    errors = check_formulas({"a": "b + 1", "b": "c * 2", "c": "a", "d": "x + 1", "e": "1 +"}, {"a", "b", "c", "d", "e"})
    assert "a → b → c → a" in errors["a"]
    assert "x" in errors["d"]
    assert "kết thúc" in errors["e"]
    assert check_formulas({"r": "a / b * 100"}, {"a", "b", "r"}) == {}


def test_evaluation_order_puts_inputs_first():
    order = evaluation_order({"c": "b + 1", "b": "a * 2", "d": "c + b"})
    assert order.index("b") < order.index("c") < order.index("d")

"""Numerator and denominator expressions over source keys: `visits_on_time`,
`(matters_rated_satisfied + matters_rated_basic)`, `volunteer_hours / 10`.

Parsed with Python's `ast` and checked against a whitelist — numbers, source names, `+ - * /`,
unary minus and parentheses — and never evaluated by Python: `evaluate` walks the checked tree
itself. Anything else (calls, attributes, comparisons, `**`, strings, names that no module
registered) is refused with a message naming the problem (docs/decisions/indicators-0001)."""

from __future__ import annotations

import ast
from decimal import Decimal, DivisionByZero, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_LENGTH = 500
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def parse(text: str, *, known: set[str] | frozenset[str]) -> ast.expr:
    """The checked tree of `text`; a `ValidationError` naming the problem otherwise."""
    text = (text or "").strip()
    if not text:
        raise _refuse(_("表达式不能为空"), "required")
    if len(text) > MAX_LENGTH:
        raise _refuse(_("表达式过长（最多 %(n)s 个字符）") % {"n": MAX_LENGTH}, "max_length")
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError as exc:
        raise _refuse(
            _("语法错误，位于第 %(col)s 个字符附近：%(text)s")
            % {"col": exc.offset or 1, "text": text},
            "syntax",
        ) from None
    _check(tree, known)
    return tree


def _check(node: ast.AST, known) -> None:
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _OPERATORS:
            raise _refuse(
                _("不支持的运算符（只允许 + - * / 和括号）：%(op)s") % {"op": ast.unparse(node)},
                "operator",
            )
        _check(node.left, known)
        _check(node.right, known)
        if isinstance(node.op, ast.Div) and _constant(node.right) == 0:
            raise _refuse(_("不能除以常数零：%(e)s") % {"e": ast.unparse(node)}, "division_by_zero")
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        _check(node.operand, known)
        return
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise _refuse(_("只允许数字常量：%(v)s") % {"v": ast.unparse(node)}, "constant")
        return
    if isinstance(node, ast.Name):
        if node.id not in known:
            raise _refuse(_("未知的数据来源“%(name)s”") % {"name": node.id}, "unknown_source")
        return
    raise _refuse(
        _("不允许的写法（只允许数据来源、数字、+ - * / 和括号）：%(e)s") % {"e": ast.unparse(node)},
        "not_allowed",
    )


def _constant(node: ast.AST) -> Decimal | None:
    """The value of a subexpression made of numbers only (None if it names a source)."""
    try:
        return evaluate(node, {}, strict=True)
    except KeyError:
        return None


def names(tree: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def evaluate(node: ast.AST, figures: dict[str, object], *, strict: bool = False) -> Decimal | None:
    """The value of a checked tree with `figures` for its names (a missing figure is 0, or a
    KeyError when `strict`); None where it divides by zero."""
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        if strict and node.id not in figures:
            raise KeyError(node.id)
        return Decimal(str(figures.get(node.id) or 0))
    if isinstance(node, ast.UnaryOp):
        value = evaluate(node.operand, figures, strict=strict)
        return None if value is None else (-value if isinstance(node.op, ast.USub) else value)
    if isinstance(node, ast.BinOp):
        left = evaluate(node.left, figures, strict=strict)
        right = evaluate(node.right, figures, strict=strict)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        try:
            return None if right == 0 else left / right
        except (DivisionByZero, InvalidOperation):
            return None
    raise ValueError(f"unchecked node: {ast.dump(node)}")

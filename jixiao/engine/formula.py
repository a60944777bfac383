"""Configured formulas (公式): a small, safe parser and evaluator. Never Python ``eval``.

Grammar (whitespace ignored; names may be English or Chinese identifiers)::

    expr       := comparison
    comparison := additive (("<" | "<=" | ">" | ">=" | "==" | "!=") additive)?
    additive   := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary)*
    unary      := ("-" | "+") unary | primary
    primary    := NUMBER ["%"] | NAME | NAME "(" expr ("," expr)* ")" | "(" expr ")"

Functions: ``min(a, b, …)``, ``max(a, b, …)``, ``abs(x)``, ``clamp(x, low, high)`` and
``if(condition, then, else)`` (a condition is true when it is not zero; comparisons give 1
or 0). ``5%`` is 0.05. Arithmetic is ``Decimal`` at 28 significant digits; the engine rounds
results, never the formula.

:func:`compile_formula` validates at save time: syntax errors and unknown names raise
:class:`FormulaError` with the position (0-based character offset) and a message in
Chinese and English. Dividing by zero while evaluating raises :class:`FormulaError`
(:meth:`Formula.evaluate`) or gives ``None`` for that row (:meth:`Formula.evaluate_columns`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, DivisionByZero, InvalidOperation, Overflow, localcontext

MAX_LENGTH, MAX_DEPTH = 500, 40

Column = list[Decimal | None]
Columns = Mapping[str, Sequence[Decimal | None]]
_Eval = Callable[[Columns, int, list[int]], Column]

_ZERO, _ONE_D = Decimal(0), Decimal(1)
_FUNCTIONS: dict[str, tuple[int, int | None]] = {"min": (1, None), "max": (1, None), "abs": (1, 1), "clamp": (3, 3), "if": (3, 3)}  # fmt: skip
_COMPARE = ("<=", ">=", "==", "!=", "<", ">")


class FormulaError(ValueError):
    """A formula that cannot be parsed or evaluated; says where and why in both languages."""

    def __init__(self, code: str, position: int, message_zh: str, message_en: str) -> None:
        super().__init__(f"{message_en} (position {position})")
        self.code = code
        self.position = position
        self.message_zh = message_zh
        self.message_en = message_en


@dataclass(frozen=True)
class _Token:
    kind: str  # "num", "name", "op", "end"
    text: str
    pos: int


_WIDE = {"×": "*", "÷": "/", "（": "(", "）": ")", "，": ","}


def _number(text: str, start: int) -> tuple[_Token, int]:
    """A number from ``start`` (an optional ``%`` after it) and where it ends."""
    i, n = start, len(text)
    while i < n and (text[i].isdigit() or text[i] == "."):
        i += 1
    raw = text[start:i]
    if raw.count(".") > 1:
        raise FormulaError("syntax", start, f"数字“{raw}”格式不对", f"malformed number {raw!r}")
    if i < n and text[i] in "%％":
        i += 1
        raw += "%"
    return _Token("num", raw, start), i


def _operator(text: str, i: int) -> tuple[_Token, int]:
    """An operator at ``i`` (full-width ones read as their ASCII twins) and where it ends."""
    two, ch = text[i : i + 2], text[i]
    if two in ("<=", ">=", "==", "!="):
        return _Token("op", two, i), i + 2
    if ch in "+-*/(),<>":
        return _Token("op", ch, i), i + 1
    if ch in _WIDE:
        return _Token("op", _WIDE[ch], i), i + 1
    zh = f"第 {i + 1} 个字符“{ch}”不能用在公式里"
    raise FormulaError("syntax", i, zh, f"character {ch!r} at position {i} is not allowed in a formula")


def tokenize(text: str) -> list[_Token]:
    """The tokens, ``end`` last (public for checks that read a formula's shape: lint)."""
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch.isdigit() or (ch == "." and i + 1 < n and text[i + 1].isdigit()):
            token, i = _number(text, i)
        elif ch.isalpha() or ch == "_":
            start = i
            while i < n and (text[i].isalnum() or text[i] == "_"):
                i += 1
            token = _Token("name", text[start:i], start)
        else:
            token, i = _operator(text, i)
        tokens.append(token)
    tokens.append(_Token("end", "", n))
    return tokens


def _num(text: str) -> Decimal:
    if text.endswith("%"):
        return Decimal(text[:-1]) / 100
    return Decimal(text)


def _bin(op: str, left: _Eval, right: _Eval, pos: int) -> _Eval:
    def run(cols: Columns, n: int, errs: list[int]) -> Column:
        a, b = left(cols, n, errs), right(cols, n, errs)
        if op == "+":
            return [None if x is None or y is None else x + y for x, y in zip(a, b, strict=True)]
        if op == "-":
            return [None if x is None or y is None else x - y for x, y in zip(a, b, strict=True)]
        if op == "*":
            return [None if x is None or y is None else x * y for x, y in zip(a, b, strict=True)]
        out: Column = []
        for x, y in zip(a, b, strict=True):
            if x is None or y is None:
                out.append(None)
            elif not y:
                errs.append(pos)
                out.append(None)
            else:
                out.append(x / y)
        return out

    return run


def _cmp(op: str, left: _Eval, right: _Eval) -> _Eval:
    tests: dict[str, Callable[[Decimal, Decimal], bool]] = {
        "<": lambda x, y: x < y,
        "<=": lambda x, y: x <= y,
        ">": lambda x, y: x > y,
        ">=": lambda x, y: x >= y,
        "==": lambda x, y: x == y,
        "!=": lambda x, y: x != y,
    }
    test = tests[op]

    def run(cols: Columns, n: int, errs: list[int]) -> Column:
        a, b = left(cols, n, errs), right(cols, n, errs)
        return [
            None if x is None or y is None else (_ONE_D if test(x, y) else _ZERO)
            for x, y in zip(a, b, strict=True)
        ]

    return run


def _call(name: str, args: list[_Eval]) -> _Eval:
    def run(cols: Columns, n: int, errs: list[int]) -> Column:
        values = [arg(cols, n, errs) for arg in args]
        out: Column = []
        for row in zip(*values, strict=True):
            if name == "if":
                cond, then, other = row
                out.append(None if cond is None else (then if cond else other))
            elif any(v is None for v in row):
                out.append(None)
            else:
                present = [v for v in row if v is not None]
                if name == "min":
                    out.append(min(present))
                elif name == "max":
                    out.append(max(present))
                elif name == "abs":
                    out.append(abs(present[0]))
                else:  # clamp
                    out.append(min(max(present[0], present[1]), present[2]))
        return out

    return run


class _Parser:
    def __init__(self, tokens: list[_Token], allowed: frozenset[str] | None) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0
        self.allowed = allowed
        self.names: set[str] = set()

    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def expect(self, text: str) -> None:
        if self.tok.text != text or self.tok.kind != "op":
            self.fail(f"这里应为“{text}”", f"expected {text!r}")
        self.i += 1

    def fail(self, zh: str, en: str) -> None:
        tok = self.tok
        found_zh = "公式结尾" if tok.kind == "end" else f"“{tok.text}”"
        found_en = "end of formula" if tok.kind == "end" else repr(tok.text)
        raise FormulaError(
            "syntax",
            tok.pos,
            f"第 {tok.pos + 1} 个字符处（{found_zh}）：{zh}",
            f"at position {tok.pos} ({found_en}): {en}",
        )

    def parse(self) -> _Eval:
        node = self.comparison()
        if self.tok.kind != "end":
            self.fail("多余的内容", "unexpected text after the formula")
        return node

    def comparison(self) -> _Eval:
        left = self.additive()
        if self.tok.kind == "op" and self.tok.text in _COMPARE:
            op = self.tok.text
            self.i += 1
            left = _cmp(op, left, self.additive())
        return left

    def additive(self) -> _Eval:
        left = self.term()
        while self.tok.kind == "op" and self.tok.text in "+-":
            op, pos = self.tok.text, self.tok.pos
            self.i += 1
            left = _bin(op, left, self.term(), pos)
        return left

    def term(self) -> _Eval:
        left = self.unary()
        while self.tok.kind == "op" and self.tok.text in ("*", "/"):
            op, pos = self.tok.text, self.tok.pos
            self.i += 1
            left = _bin(op, left, self.unary(), pos)
        return left

    def unary(self) -> _Eval:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail("公式嵌套太深", "formula is nested too deeply")
        try:
            if self.tok.kind == "op" and self.tok.text in "+-":
                op = self.tok.text
                self.i += 1
                inner = self.unary()
                if op == "+":
                    return inner
                zero = _const(_ZERO)
                return _bin("-", zero, inner, self.tok.pos)
            return self.primary()
        finally:
            self.depth -= 1

    def primary(self) -> _Eval:
        tok = self.tok
        if tok.kind == "num":
            self.i += 1
            return _const(_num(tok.text))
        if tok.kind == "name":
            self.i += 1
            if self.tok.kind == "op" and self.tok.text == "(":
                return self.call(tok)
            if tok.text in _FUNCTIONS:
                raise FormulaError(
                    "syntax",
                    tok.pos,
                    f"函数 {tok.text} 后面应有括号",
                    f"function {tok.text} needs parentheses",
                )
            if self.allowed is not None and tok.text not in self.allowed:
                known = "、".join(sorted(self.allowed)) or "（无）"
                raise FormulaError(
                    "unknown_name",
                    tok.pos,
                    f"第 {tok.pos + 1} 个字符处：不认识的名称“{tok.text}”；可用的有：{known}",
                    f"at position {tok.pos}: unknown name {tok.text!r}; known names: "
                    f"{', '.join(sorted(self.allowed)) or '(none)'}",
                )
            self.names.add(tok.text)
            return _var(tok.text)
        if tok.kind == "op" and tok.text == "(":
            self.i += 1
            self.depth += 1
            node = self.comparison()
            self.depth -= 1
            self.expect(")")
            return node
        self.fail("这里应为数字、名称或括号", "expected a number, a name or '('")
        raise AssertionError("unreachable")

    def call(self, name_tok: _Token) -> _Eval:
        name = name_tok.text
        if name not in _FUNCTIONS:
            raise FormulaError(
                "unknown_function",
                name_tok.pos,
                f"第 {name_tok.pos + 1} 个字符处：不认识的函数“{name}”；可用：min、max、abs、clamp、if",
                f"at position {name_tok.pos}: unknown function {name!r}; known: min, max, abs, clamp, if",
            )
        self.expect("(")
        args = [self.comparison()]
        while self.tok.kind == "op" and self.tok.text == ",":
            self.i += 1
            args.append(self.comparison())
        self.expect(")")
        low, high = _FUNCTIONS[name]
        if len(args) < low or (high is not None and len(args) > high):
            want = str(low) if low == high else f"≥ {low}"
            raise FormulaError(
                "arity",
                name_tok.pos,
                f"函数 {name} 需要 {want} 个参数，给了 {len(args)} 个",
                f"function {name} takes {want} arguments, got {len(args)}",
            )
        return _call(name, args)


def _const(value: Decimal) -> _Eval:
    def run(cols: Columns, n: int, errs: list[int]) -> Column:
        return [value] * n

    return run


def _var(name: str) -> _Eval:
    def run(cols: Columns, n: int, errs: list[int]) -> Column:
        return list(cols[name])

    return run


@dataclass(frozen=True)
class Formula:
    """A validated formula; evaluate it on one set of values or on whole columns."""

    text: str
    names: frozenset[str]
    _run: _Eval = field(repr=False, compare=False)

    def evaluate_columns(self, columns: Columns, n: int) -> tuple[Column, list[int]]:
        """Evaluate over ``n`` rows; return the values (``None`` where an input is missing or a
        division by zero happened) and the positions of divisions by zero."""
        errs: list[int] = []
        with localcontext() as ctx:
            ctx.prec = 28
            ctx.traps[DivisionByZero] = True
            try:
                return self._run(columns, n, errs), errs
            except (InvalidOperation, Overflow):
                raise FormulaError(
                    "overflow", 0, "公式计算结果超出范围", "formula result out of range"
                ) from None

    def evaluate(self, env: Mapping[str, Decimal]) -> Decimal:
        """Evaluate with one value per name; raise :class:`FormulaError` on a missing name or
        division by zero."""
        missing = sorted(self.names - env.keys())
        if missing:
            raise FormulaError(
                "missing_value",
                0,
                f"缺少数值：{'、'.join(missing)}",
                f"missing value for: {', '.join(missing)}",
            )
        values, errs = self.evaluate_columns({k: [env[k]] for k in self.names}, 1)
        result = values[0]
        if result is None:
            pos = errs[0] if errs else 0
            raise FormulaError(
                "division_by_zero",
                pos,
                f"第 {pos + 1} 个字符处除数为零",
                f"division by zero at position {pos}",
            )
        return result


def compile_formula(text: str, allowed: Iterable[str] | None = None) -> Formula:
    """Parse and validate ``text``; ``allowed`` (if given) lists the names it may use."""
    if not text.strip():
        raise FormulaError("empty", 0, "公式为空", "the formula is empty")
    if len(text) > MAX_LENGTH:
        raise FormulaError(
            "too_long",
            MAX_LENGTH,
            f"公式超过 {MAX_LENGTH} 个字符",
            f"the formula is longer than {MAX_LENGTH} characters",
        )
    parser = _Parser(tokenize(text), None if allowed is None else frozenset(allowed))
    run = parser.parse()
    return Formula(text=text, names=frozenset(parser.names), _run=run)

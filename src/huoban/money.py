"""CNY amounts as Decimal (R-POL-3): one rounding helper, never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def to_decimal(value: object) -> Decimal:
    """Parse a str/int/Decimal into Decimal; floats are refused so no binary rounding sneaks in."""
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError("money must not be a float or bool")
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc


def parse_amount(value: object) -> Decimal | None:
    """Typed input (a form's or a JSON body's string or number) as a finite Decimal, or None
    when it is empty or not a number; floats and booleans are refused. Callers check the range
    and the places and word the field error."""
    if isinstance(value, float):
        return None
    return parse_measure(value)


def parse_measure(value: object) -> Decimal | None:
    """A measurement — a KPI's target or actual, a selection threshold — as a finite Decimal,
    or None when it is empty, a boolean or not a number. Unlike an amount, a JSON number is
    taken (D-NUM-1): Python prints a float as the shortest text that reads back as it, so
    ``19.2`` is ``Decimal("19.2")``, never 19.199999…"""
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def cny(value: object) -> Decimal:
    """Round half-up to the fen (0.01), the rounding of every ledger entry."""
    if type(value) is Decimal:  # the common case, without the parsing checks (hot in replays)
        return value.quantize(FEN, rounding=ROUND_HALF_UP)
    return to_decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def fmt(value: Decimal) -> str:
    """An amount as the API shows it: a string with two decimals, e.g. '66000.00'."""
    return str(cny(value))


def fmt_rate(value: Decimal) -> str:
    """A rate as the API shows it: '0.22' (trailing zeros beyond two places dropped)."""
    q = value.normalize()
    text = format(q, "f")
    if "." not in text:
        text += ".00"
    whole, frac = text.split(".")
    return f"{whole}.{frac.ljust(2, '0')}"

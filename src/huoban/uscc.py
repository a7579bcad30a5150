"""Unified social credit code (统一社会信用代码) validation per GB 32100-2015 (R-ATT-1)."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3**i mod 31


def check_character(first17: str) -> str:
    """The 18th character computed from the first 17 (C18 = 31 − Σ(Ci×Wi) mod 31)."""
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalize_uscc(raw: str) -> str:
    """Upper-case and strip spaces and full-width characters a user may paste."""
    text = raw.strip().upper().replace(" ", "")
    return "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in text)


def uscc_error(code: str) -> str | None:
    """Why `code` is not a valid USCC (Chinese / English), or None when it is valid."""
    if len(code) != 18:
        return "统一社会信用代码应为18位 / A USCC has 18 characters."
    bad = sorted({c for c in code if c not in ALPHABET})
    if bad:
        return (
            f"统一社会信用代码含非法字符 {''.join(bad)} / "
            f"A USCC may not contain {''.join(bad)} (no I, O, Z, S, V)."
        )
    if not code[2:8].isdigit():
        return "第3–8位应为行政区划代码 / Characters 3–8 must be a region code (digits)."
    if check_character(code[:17]) != code[17]:
        return "统一社会信用代码校验位错误 / The USCC check digit is wrong."
    return None


def is_valid_uscc(code: str) -> bool:
    return uscc_error(code) is None

"""USCC check digit per GB 32100-2015 (R-ATT-1)."""

from __future__ import annotations

import pytest

from huoban.customers.registry import get_or_create_customer
from huoban.errors import ValidationFailed
from huoban.uscc import check_character, normalize_uscc, uscc_error


@pytest.mark.parametrize("code", ["91110000710926094P", "91310000631696382C"])
def test_it_accepts_real_codes(code):
    # given a real, registered code / then it is valid and its check character recomputes
    assert uscc_error(code) is None
    assert check_character(code[:17]) == code[17]


@pytest.mark.parametrize(
    "code",
    [
        "91110000710926094Q",  # check character P → Q
        "91110000710926095P",  # body: 17th character 4 → 5
        "91310000631696382D",  # check character C → D
        "91310000631696383C",  # body: 17th character 2 → 3
    ],
)
def test_it_refuses_a_one_character_change(code):
    assert uscc_error(code) == "统一社会信用代码校验位错误 / The USCC check digit is wrong."


def test_it_refuses_wrong_length_and_forbidden_letters():
    assert "18" in (uscc_error("9111000071092609") or "")
    # O is not in the GB 32100 alphabet
    assert "O" in (uscc_error("9111000071092609OP") or "")


def test_it_normalises_pasted_codes():
    assert normalize_uscc(" ９１１１００００７１０９２６０９４ｐ ") == "91110000710926094P"


def test_it_refuses_a_customer_with_a_bad_code(db):
    # when a customer is created with a changed check digit / then a field message, no row
    with pytest.raises(ValidationFailed) as err:
        get_or_create_customer("某某科技有限公司", uscc="91110000710926094Q")
    assert err.value.errors == {
        "customer.uscc": "统一社会信用代码校验位错误 / The USCC check digit is wrong."
    }

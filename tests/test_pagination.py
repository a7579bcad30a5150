"""One pagination for the API and the pages (issue #11, D-FRAME-17)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from pydantic import ValidationError

from huoban.pagination import MAX_PAGE_SIZE, PageParams, page_of, query_without_page

ROWS = list(range(1, 46))  # 45 rows


def test_the_api_window_counts_from_one_and_is_empty_past_the_end():
    assert PageParams(page=1, page_size=20).window(ROWS) == ROWS[:20]
    assert PageParams(page=3, page_size=20).window(ROWS) == [41, 42, 43, 44, 45]
    assert PageParams(page=4, page_size=20).window(ROWS) == []
    assert PageParams(page=2, page_size=20).offset == 20


def test_the_api_refuses_a_page_size_above_the_maximum():
    with pytest.raises(ValidationError):
        PageParams(page=1, page_size=MAX_PAGE_SIZE + 1)
    with pytest.raises(ValidationError):
        PageParams(page=0, page_size=10)


def test_a_page_shows_the_nearest_page_for_a_bad_number_and_keeps_the_filters():
    factory = RequestFactory()
    assert list(page_of(factory.get("/?page=3"), ROWS)) == [41, 42, 43, 44, 45]
    assert list(page_of(factory.get("/?page=99"), ROWS)) == [41, 42, 43, 44, 45]
    assert list(page_of(factory.get("/?page=x"), ROWS)) == ROWS[:20]
    assert list(page_of(factory.get("/?ppage=2"), ROWS, 40, param="ppage")) == ROWS[40:]
    assert query_without_page(factory.get("/?status=pending&page=2")) == "status=pending"

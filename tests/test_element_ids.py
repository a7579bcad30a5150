"""No page repeats an element id (R-UI-1, accessibility): two forms on one page that share an
id (``id_reason``) tie a label to the wrong field, and a fragment link (``#shares``) to the
wrong card. Every page of the web matrix that answers 200 is opened as a caller who sees it
whole — the admin for the console, alice for the portal, anonymous for the public pages — on
the matrix's world, and its ids are counted."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.test import Client

from huoban import clock

from .test_web_authorization_matrix import NOW, ROWS, _fill, web_world


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.labels: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids[value] += 1
            if tag == "label" and name == "for" and value:
                self.labels.append(value)


def _viewer(path: str) -> str | None:
    if path.startswith("/console/"):
        return "admin"
    if path.startswith("/portal/"):
        return "alice"
    if path.startswith(("/admin/", "/api/", "/static/", "/media/")):
        return None
    return "anonymous"


@pytest.mark.django_db
def test_no_page_repeats_an_element_id(actors):
    world = web_world(actors)
    clients: dict[str, Client] = {}
    problems: list[str] = []
    opened = 0
    with clock.frozen(NOW):
        for (method, _route), row in sorted(ROWS.items()):
            path = _fill(row.path, world)
            who = _viewer(path)
            if method != "GET" or who is None or row.expect.get(who) != 200:
                continue
            if who not in clients:
                clients[who] = Client()
                if who != "anonymous":
                    clients[who].force_login(getattr(actors, who))
            response = clients[who].get(path, headers=row.headers or {})
            if "text/html" not in response.get("Content-Type", ""):
                continue
            opened += 1
            parser = _Ids()
            parser.feed(response.content.decode())
            repeated = sorted(i for i, n in parser.ids.items() if n > 1)
            if repeated:
                problems.append(f"{path} as {who}: ids repeated: {repeated}")
            dangling = sorted(set(parser.labels) - set(parser.ids))
            if dangling:
                problems.append(f"{path} as {who}: labels for missing ids: {dangling}")
    assert opened > 50, opened  # the walk reached the pages
    assert not problems, "\n".join(problems)

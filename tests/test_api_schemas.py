"""The OpenAPI document names each response and body schema by its class name; two classes of
one name overwrite each other there, and clients (and the fuzz test) then read the wrong
schema. Every API schema class has a name of its own."""

from __future__ import annotations

from collections import Counter

from ninja import Schema

import huoban.api  # noqa: F401  (imports every router, so every schema class exists)


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def test_every_schema_class_has_its_own_name():
    names = Counter(
        c.__name__ for c in set(_subclasses(Schema)) if c.__module__.startswith("huoban.")
    )
    assert [n for n, k in names.items() if k > 1] == []

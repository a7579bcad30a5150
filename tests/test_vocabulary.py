"""One vocabulary (issue #11): tiers, project kinds and exit kinds are written once in
``huoban.vocabulary``; the models' choices, the API's Literal types and the pure rules agree
with it, code for code and label for label (they had drifted: 迭代 vs 迭代/二次开发, 公司违约
vs 因我方违约退出)."""

from __future__ import annotations

import typing

import pytest
from django.utils import translation

from huoban import vocabulary as v
from huoban.partners import api as partners_api
from huoban.partners.models import ExitKind, Tier
from huoban.projects import api as projects_api
from huoban.projects.models import Kind
from huoban.standing import tiers
from huoban.terms import rules

CASES = [
    (v.Tier, v.TIER_LABELS, Tier, rules.TIERS),
    (v.ProjectKind, v.PROJECT_KIND_LABELS, Kind, rules.PROJECT_KINDS),
    (v.ExitKind, v.EXIT_KIND_LABELS, ExitKind, rules.EXIT_KINDS),
]


@pytest.mark.parametrize(("codes", "labels", "model", "in_rules"), CASES)
def test_models_and_rules_use_the_vocabulary(codes, labels, model, in_rules):
    assert list(labels) == list(codes)
    with translation.override("zh-hans"):
        assert {c: str(label) for c, label in model.choices} == dict(labels)
    assert dict(in_rules) == dict(labels)


def test_the_api_literals_are_the_vocabulary():
    kind = typing.get_type_hints(projects_api.ProjectIn)["kind"]
    assert set(typing.get_args(kind)) == set(v.ProjectKind)
    assert set(typing.get_args(partners_api.ExitKindLiteral)) == set(v.ExitKind)


def test_the_tier_rules_use_the_vocabulary():
    assert (tiers.LIGHT, tiers.DEEP, tiers.STRATEGIC) == tuple(v.Tier)

"""The programme's vocabularies, written once (issue #11): codes as ``StrEnum`` members, the
Chinese label beside each. Django-free, so the pure rules use them as they are; the models'
``TextChoices`` (which carry the same labels for translation), the API's ``Literal`` types and
the rules' explanations must agree with them — ``tests/test_vocabulary.py`` checks that.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class Tier(StrEnum):
    """R-TIER: 轻协同 → 深度协同 → 战略伙伴."""

    LIGHT = "light"
    DEEP = "deep"
    STRATEGIC = "strategic"


TIER_LABELS: Mapping[str, str] = MappingProxyType(
    {Tier.LIGHT: "轻协同", Tier.DEEP: "深度协同", Tier.STRATEGIC: "战略伙伴"}
)


class ProjectKind(StrEnum):
    """R-PROJ-1: what was signed."""

    NEW = "new"
    RENEWAL = "renewal"
    INCREMENT = "increment"
    ITERATION = "iteration"


PROJECT_KIND_LABELS: Mapping[str, str] = MappingProxyType(
    {
        ProjectKind.NEW: "新签",
        ProjectKind.RENEWAL: "续费",
        ProjectKind.INCREMENT: "增项",
        ProjectKind.ITERATION: "迭代/二次开发",
    }
)


class ExitKind(StrEnum):
    """R-EXIT-1: how a partner left."""

    PARTNER_INITIATED = "partner_initiated"
    COMPANY_VIOLATION = "company_violation"
    MUTUAL = "mutual"


EXIT_KIND_LABELS: Mapping[str, str] = MappingProxyType(
    {
        ExitKind.PARTNER_INITIATED: "伙伴主动退出",
        # The company broke the agreement; "因公司违约", never "我方" (whose side is that?).
        ExitKind.COMPANY_VIOLATION: "因公司违约退出",
        ExitKind.MUTUAL: "协商退出",
    }
)

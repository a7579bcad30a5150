"""Commission policy look-ups (R-POL-1, R-POL-2).

The ledger that applies them is :mod:`huoban.commissions.ledger`, above projects.
"""

from __future__ import annotations

import datetime as dt

from huoban.errors import ValidationFailed
from huoban.partners.models import Partner

from .models import PartnerAgreement, PolicyVersion


def policy_for(signed_on: dt.date, partner: Partner) -> PolicyVersion:
    """The policy a project signed on ``signed_on`` uses (R-POL-2).

    The version pinned by the partner's latest agreement signed on or before that date, if
    any (合作前书面确认锁定); otherwise the latest version effective on that date.
    """
    agreement = (
        PartnerAgreement.objects.filter(partner=partner, signed_on__lte=signed_on)
        .select_related("policy_version")
        .order_by("-signed_on", "-id")
        .first()
    )
    if agreement is not None:
        return agreement.policy_version
    return policy_in_force(signed_on)


def policy_in_force(signed_on: dt.date) -> PolicyVersion:
    """The latest policy version effective on ``signed_on`` (no agreement pins one)."""
    version = (
        PolicyVersion.objects.filter(effective_from__lte=signed_on)
        .order_by("-effective_from", "-version")
        .first()
    )
    if version is None:
        raise ValidationFailed(
            {"signed_on": "该日期没有生效的佣金政策 / No commission policy is effective then."}
        )
    return version

"""Who wants what (R-NOTE-2): each person chooses, per event that reaches them, whether to be told
in the app and by e-mail. Nothing chosen means everything wanted (:class:`OptOut` rows record
the exceptions)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from huoban.accounts.models import User
from huoban.audit.services import record
from huoban.errors import ValidationFailed

from .models import OptOut, PersonalChannel

PARTNER, STAFF = "partner", "staff"


@dataclass(frozen=True)
class EventKind:
    event: str
    label: Promise
    audience: frozenset[str]  # who can receive it: a partner's users, staff, or both


# The events that reach people today, as they read them on the settings page (R-NOTE-1); the
# partner-management events of SPEC §10 join with the features that raise them.
CATALOGUE = (
    EventKind("lead.submitted", _("新线索待评估"), frozenset({STAFF})),
    EventKind("lead.sla_due", _("线索评估即将超时"), frozenset({STAFF})),
    EventKind("lead.appealed", _("线索申诉待复核"), frozenset({STAFF})),
    EventKind("lead.verdict", _("线索评估结论"), frozenset({PARTNER})),
    EventKind("review.decided", _("复核结论"), frozenset({PARTNER})),
    EventKind("consent.granted", _("联系授权"), frozenset({PARTNER, STAFF})),
    EventKind("consent.revoked", _("联系授权撤回"), frozenset({STAFF})),
    EventKind("customer.inbound_routed", _("客户来访转交"), frozenset({PARTNER})),
    EventKind("project.signed", _("项目签约"), frozenset({PARTNER})),
    EventKind("payment.recorded", _("客户回款"), frozenset({PARTNER})),
    EventKind("project.accepted", _("项目验收"), frozenset({PARTNER})),
    EventKind("tier.changed", _("等级变动"), frozenset({PARTNER})),
    EventKind("tier.notice", _("等级提示"), frozenset({PARTNER})),
    EventKind("project.milestone", _("项目进度"), frozenset({PARTNER})),
    EventKind("payout.paid", _("佣金支付"), frozenset({PARTNER})),
    EventKind("application.submitted", _("战略伙伴申请待审批"), frozenset({STAFF})),
    EventKind("application.decided", _("战略伙伴申请结果"), frozenset({PARTNER})),
    EventKind("agreement.expiring", _("协议即将到期"), frozenset({STAFF})),
    EventKind("agreement.review_due", _("协议待评审"), frozenset({STAFF})),
    EventKind("agreement.submitted", _("协议待审核或审批"), frozenset({STAFF})),
    EventKind("case.opened", _("危机事件开启"), frozenset({STAFF})),
    EventKind("case.escalated", _("危机事件升级"), frozenset({STAFF})),
    EventKind("case.due", _("危机事件逾期"), frozenset({STAFF})),
    EventKind("health.due", _("健康度待评估"), frozenset({STAFF})),
    EventKind("risk.review_due", _("风险待复核"), frozenset({STAFF})),
    EventKind("meeting.due", _("会议待召开"), frozenset({STAFF})),
    EventKind("credit.review_due", _("资信调查待审批或复核"), frozenset({STAFF})),
)


def events_for(user: User) -> list[EventKind]:
    """The events that can reach `user`: a partner's users hear of their partner's business,
    staff of what they act on."""
    side = PARTNER if user.is_partner_user else STAFF
    return [kind for kind in CATALOGUE if side in kind.audience]


def choices_of(user: User) -> dict[str, set[str]]:
    """event → the channels `user` wants it on, for every event that can reach them."""
    off = set(OptOut.objects.filter(user=user).values_list("event", "channel"))
    return {
        kind.event: {c for c in PersonalChannel.values if (kind.event, c) not in off}
        for kind in events_for(user)
    }


@transaction.atomic(durable=True)
def set_choices(wanted: Mapping[str, Iterable[str]], *, actor: User) -> dict[str, set[str]]:
    """Record, for each event given, the channels the actor wants it on; events not given keep
    their choice. Any person, for themselves only."""
    known = {kind.event for kind in events_for(actor)}
    clean: dict[str, set[str]] = {}
    bad_events = [e for e in wanted if e not in known]
    bad_channels = sorted({c for cs in wanted.values() for c in cs} - set(PersonalChannel.values))
    errors: dict[str, str] = {}
    if bad_events:
        errors["events"] = f"未知或不适用的事件 / Unknown events: {', '.join(bad_events)}"
    if bad_channels:
        errors["channels"] = f"未知渠道 / Unknown channels: {', '.join(bad_channels)}"
    if errors:
        raise ValidationFailed(errors)
    for event, channels in wanted.items():
        clean[event] = set(channels)
    before = choices_of(actor)
    OptOut.objects.filter(user=actor, event__in=list(clean)).delete()
    OptOut.objects.bulk_create(
        OptOut(user=actor, event=event, channel=channel)
        for event, channels in clean.items()
        for channel in PersonalChannel.values
        if channel not in channels
    )
    after = choices_of(actor)
    changed = {e for e in after if after[e] != before.get(e)}
    if changed:
        record(
            actor,
            "notification.preferences",
            actor,
            before={e: sorted(before.get(e, set())) for e in sorted(changed)},
            after={e: sorted(after[e]) for e in sorted(changed)},
        )
    return after

"""The commission rules (SPEC §6, R-LED-4…7) as pure functions over plain values.

No ORM and no Django: the ledger, the explanations and the benchmarks all call these, and the
property tests exercise them directly. Money is ``Decimal`` rounded half-up to the fen with
:func:`huoban.money.cny` (R-POL-3); a float is refused.

Every result carries an ``explanation``: a list of :class:`Step`, each in Chinese and English
and carrying the numbers, so that a partner can recompute it with a pocket calculator (可验算).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Protocol

from huoban.explain import Step, pct, yuan
from huoban.money import ZERO, cny, to_decimal
from huoban.vocabulary import EXIT_KIND_LABELS, PROJECT_KIND_LABELS, TIER_LABELS

# The vocabularies, from the one place they are written (code → Chinese label).
PROJECT_KINDS: Mapping[str, str] = PROJECT_KIND_LABELS
TIERS: Mapping[str, str] = TIER_LABELS
EXIT_KINDS: Mapping[str, str] = EXIT_KIND_LABELS


# --- policy ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """A commission policy version (R-POL-1); immutable once a project uses it (R-POL-2)."""

    version: int
    effective_from: dt.date
    # (upper bound inclusive, or None for "above the last bound"; rate), ascending.
    ladder: tuple[tuple[Decimal | None, Decimal], ...]
    renewal_bonus: Decimal
    high_margin_bonus: Decimal
    tier_uplift: Mapping[str, Decimal]
    cap: Decimal
    confirmation_rate: Decimal
    payout_business_days: int
    # (lower bound inclusive, rate), ascending; the rate applies to the whole performance.
    annual_ladder: tuple[tuple[Decimal, Decimal], ...]
    override_rate: Decimal
    tail_years: int
    liquidated_damages_rate: Decimal
    clawback: bool = False
    demote_after_grace: bool = False
    renewal_kinds: frozenset[str] = frozenset({"renewal", "increment", "iteration"})


POLICY_V1 = Policy(
    version=1,
    effective_from=dt.date(2000, 1, 1),
    ladder=(
        (Decimal("100000.00"), Decimal("0.15")),
        (Decimal("300000.00"), Decimal("0.22")),
        (Decimal("500000.00"), Decimal("0.28")),
        (None, Decimal("0.30")),
    ),
    renewal_bonus=Decimal("0.02"),
    high_margin_bonus=Decimal("0.05"),
    tier_uplift=MappingProxyType(
        {"light": Decimal("0.00"), "deep": Decimal("0.00"), "strategic": Decimal("0.00")}
    ),
    cap=Decimal("0.30"),
    confirmation_rate=Decimal("0.08"),
    payout_business_days=3,
    annual_ladder=(
        (Decimal("500000.00"), Decimal("0.02")),
        (Decimal("1000000.00"), Decimal("0.03")),
        (Decimal("3000000.00"), Decimal("0.04")),
        (Decimal("5000000.00"), Decimal("0.05")),
    ),
    override_rate=Decimal("0.01"),
    tail_years=3,
    liquidated_damages_rate=Decimal("0.30"),
    clawback=False,
    demote_after_grace=False,
)


# --- explanations ----------------------------------------------------------------------------


def _product(rate: Decimal, base: Decimal) -> tuple[Decimal, str]:
    """cny(rate × base) and how it was reached: '22% × 123,456.78 = 27,160.4916 → 27,160.49'."""
    exact = rate * base
    rounded = cny(exact)
    text = f"{pct(rate)} × {yuan(base)} = "
    if exact == rounded:
        return rounded, text + yuan(rounded)
    return rounded, text + f"{exact:,} → {yuan(rounded)}"


@dataclass(frozen=True)
class RateResult:
    rate: Decimal
    explanation: list[Step]


@dataclass(frozen=True)
class AmountResult:
    """``amount`` = cny(``rate`` × ``basis``), with the steps."""

    amount: Decimal
    rate: Decimal
    basis: Decimal
    explanation: list[Step]


# --- project rate (R-POL-1, R-PROJ-2) ----------------------------------------------------------


def project_rate(
    policy: Policy, amount: Decimal, kind: str, high_margin: bool, tier: str
) -> RateResult:
    """The project's commission rate: ladder + renewal + high-margin + tier, capped (R-POL-1)."""
    amount = to_decimal(amount)
    if amount <= 0:
        raise ValueError("contract amount must be positive")
    if kind not in PROJECT_KINDS:
        raise ValueError(f"unknown project kind: {kind!r}")
    if tier not in policy.tier_uplift:
        raise ValueError(f"unknown tier: {tier!r}")
    steps: list[Step] = []

    base = policy.ladder[-1][1]
    previous: Decimal | None = None
    for upper, ladder_rate in policy.ladder:
        if upper is None or amount <= upper:
            base = ladder_rate
            if upper is not None:
                steps.append(
                    Step(
                        f"合同额 {yuan(amount)} ≤ {yuan(upper)} → 阶梯费率 {pct(base)}",
                        f"contract {yuan(amount)} ≤ {yuan(upper)} → ladder rate {pct(base)}",
                    )
                )
            else:
                bound = yuan(previous) if previous is not None else yuan(ZERO)
                steps.append(
                    Step(
                        f"合同额 {yuan(amount)} > {bound} → 阶梯费率 {pct(base)}",
                        f"contract {yuan(amount)} > {bound} → ladder rate {pct(base)}",
                    )
                )
            break
        previous = upper

    kind_zh = PROJECT_KINDS[kind]
    if kind in policy.renewal_kinds:
        renewal = policy.renewal_bonus
        steps.append(
            Step(
                f"项目类型 {kind_zh}（{kind}）→ 续费加成 +{pct(renewal)}",
                f"kind {kind} → renewal bonus +{pct(renewal)}",
            )
        )
    else:
        renewal = Decimal("0")
        steps.append(
            Step(
                f"项目类型 {kind_zh}（{kind}）→ 无续费加成 +0%",
                f"kind {kind} → no renewal bonus +0%",
            )
        )

    if high_margin:
        margin = policy.high_margin_bonus
        steps.append(
            Step(f"高毛利项目 → 加成 +{pct(margin)}", f"high-margin project → bonus +{pct(margin)}")
        )
    else:
        margin = Decimal("0")
        steps.append(Step("非高毛利项目 → +0%", "not high-margin → +0%"))

    uplift = policy.tier_uplift[tier]
    steps.append(
        Step(
            f"伙伴梯度 {TIERS.get(tier, tier)}（{tier}）→ 梯度加成 +{pct(uplift)}",
            f"partner tier {tier} → tier uplift +{pct(uplift)}",
        )
    )

    total = base + renewal + margin + uplift
    parts = " + ".join(pct(x) for x in (base, renewal, margin, uplift))
    steps.append(Step(f"合计 {parts} = {pct(total)}", f"sum {parts} = {pct(total)}"))

    if total > policy.cap:
        rate = policy.cap
        steps.append(
            Step(
                f"{pct(total)} > 上限 {pct(policy.cap)} → 封顶，费率 {pct(rate)}",
                f"{pct(total)} > cap {pct(policy.cap)} → capped, rate {pct(rate)}",
            )
        )
    else:
        rate = total
        steps.append(
            Step(
                f"{pct(total)} ≤ 上限 {pct(policy.cap)} → 费率 {pct(rate)}",
                f"{pct(total)} ≤ cap {pct(policy.cap)} → rate {pct(rate)}",
            )
        )
    return RateResult(rate=rate, explanation=steps)


def commission_total(rate: Decimal, amount: Decimal) -> AmountResult:
    """The project's total commission T = cny(r × A) (R-LED-4)."""
    rate, amount = to_decimal(rate), to_decimal(amount)
    total, text = _product(rate, amount)
    step = Step(f"佣金总额 T = {text}", f"commission total T = {text}")
    return AmountResult(amount=total, rate=rate, basis=amount, explanation=[step])


def confirmation_fee(policy: Policy, amount: Decimal) -> AmountResult:
    """The confirmation fee 引荐确认金 C = cny(8% × A) (R-LED-4)."""
    amount = to_decimal(amount)
    fee, text = _product(policy.confirmation_rate, amount)
    step = Step(f"引荐确认金 C = {text}", f"confirmation fee C = {text}")
    return AmountResult(amount=fee, rate=policy.confirmation_rate, basis=amount, explanation=[step])


def liquidated_damages(policy: Policy, amount: Decimal) -> AmountResult:
    """Liquidated damages on a confirmed company violation: cny(30% × A) (R-VIOL-1)."""
    amount = to_decimal(amount)
    damages, text = _product(policy.liquidated_damages_rate, amount)
    step = Step(f"违约金 = 合同额 × {text}", f"liquidated damages = contract × {text}")
    return AmountResult(
        amount=damages, rate=policy.liquidated_damages_rate, basis=amount, explanation=[step]
    )


# --- events ----------------------------------------------------------------------------------


def _positive(value: object, what: str) -> Decimal:
    amount = to_decimal(value)
    if amount <= 0:
        raise ValueError(f"{what} amount must be positive")
    return amount


@dataclass(frozen=True)
class ProjectEvent:
    """Something that happened on a project; ``key`` is stable (e.g. 'payment:17')."""

    key: str
    date: dt.date


@dataclass(frozen=True)
class Payment(ProjectEvent):
    """A customer payment 回款 received on ``date``."""

    amount: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", _positive(self.amount, "payment"))


@dataclass(frozen=True)
class Refund(ProjectEvent):
    """A refund to the customer: reduces the net received R (amount given positive)."""

    amount: Decimal
    refund_of: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", _positive(self.amount, "refund"))


@dataclass(frozen=True)
class Acceptance(ProjectEvent):
    """The project's acceptance 验收."""


@dataclass(frozen=True)
class Cancellation(ProjectEvent):
    """The project's cancellation: what was credited stays, later events earn nothing."""


@dataclass(frozen=True)
class PartnerExit:
    """The earning partner's own exit (R-EXIT-1), for the tail limit (R-LED-7)."""

    date: dt.date
    kind: str


@dataclass(frozen=True)
class EntryResult:
    """One ledger entry to write.

    ``amount`` = ``earned_total`` − what was credited before. ``basis`` and ``rate`` name the
    term that fixed ``earned_total`` (A and 8% for the confirmation fee, A and r when capped
    at T, R and r otherwise). Due dates are computed separately (:func:`due_date`).
    """

    kind: str
    amount: Decimal
    earned_on: dt.date
    event_key: str
    basis: Decimal
    rate: Decimal
    earned_total: Decimal
    credited_total: Decimal
    explanation: list[Step]


@dataclass(frozen=True)
class EventOutcome:
    """What one event did: its entry, or None with the reason in the explanation."""

    event_key: str
    date: dt.date
    entry: EntryResult | None
    explanation: list[Step] = field(default_factory=list)


def _check_unique(seen: dict[str, ProjectEvent], event: ProjectEvent) -> bool:
    """True the first time a key is seen; False for an identical repeat; a conflict raises."""
    if not isinstance(event, Payment | Refund | Acceptance | Cancellation):
        raise TypeError(f"not a project event: {event!r}")
    earlier = seen.get(event.key)
    if earlier is None:
        seen[event.key] = event
        return True
    if earlier == event:
        return False
    raise ValueError(f"event key {event.key!r} used for two different events")


def _event_step(event: ProjectEvent, received: Decimal) -> Step:
    when = event.date.isoformat()
    if isinstance(event, Payment):
        return Step(
            f"回款 {yuan(event.amount)}（{event.key}，{when}）→ 累计净回款 R = {yuan(received)}",
            f"payment {yuan(event.amount)} ({event.key}, {when}) → net received R = "
            f"{yuan(received)}",
        )
    if isinstance(event, Refund):
        return Step(
            f"退款 {yuan(event.amount)}（{event.key}，{when}）→ 累计净回款 R = {yuan(received)}",
            f"refund {yuan(event.amount)} ({event.key}, {when}) → net received R = "
            f"{yuan(received)}",
        )
    if isinstance(event, Acceptance):
        return Step(f"验收（{event.key}，{when}）", f"acceptance ({event.key}, {when})")
    return Step(f"项目取消（{event.key}，{when}）", f"project cancelled ({event.key}, {when})")


def _tail_skip(partner_exit: PartnerExit | None, policy: Policy, event: ProjectEvent) -> list[Step]:
    """The steps saying why the event earns nothing under the tail limit, or [] if it may."""
    if partner_exit is None:
        return []
    allowed, steps = tail_allows(
        partner_exit.date, partner_exit.kind, event.date, policy.tail_years
    )
    return [] if allowed else steps


def _skipped(
    event: ProjectEvent,
    cancelled_on: dt.date | None,
    partner_exit: PartnerExit | None,
    policy: Policy,
) -> EventOutcome | None:
    """Why an event earns nothing at all (the project was cancelled, or it falls past the
    tail after the partner's exit), or None when it is to be credited."""
    if cancelled_on is not None:
        return EventOutcome(
            event.key,
            event.date,
            None,
            [
                Step(
                    f"项目已于 {cancelled_on} 取消，此后事件不计佣",
                    f"project cancelled on {cancelled_on}: later events earn nothing",
                )
            ],
        )
    skip = _tail_skip(partner_exit, policy, event)
    return EventOutcome(event.key, event.date, None, skip) if skip else None


def _credit(
    earned: Decimal, credited: Decimal, steps: list[Step]
) -> tuple[Decimal | None, list[Step]]:
    """The positive difference to credit now, or None (no clawback: never negative)."""
    delta = earned - credited
    if delta > 0:
        steps.append(
            Step(
                f"应得 {yuan(earned)} − 已计 {yuan(credited)} = 本次入账 {yuan(delta)}",
                f"earned {yuan(earned)} − already credited {yuan(credited)} = "
                f"this entry {yuan(delta)}",
            )
        )
        return delta, steps
    steps.append(
        Step(
            f"应得 {yuan(earned)} − 已计 {yuan(credited)} = {yuan(delta)} ≤ 0 → 不入账（不追回）",
            f"earned {yuan(earned)} − already credited {yuan(credited)} = {yuan(delta)} ≤ 0 "
            f"→ no entry (no clawback)",
        )
    )
    return None, steps


# --- project commission (R-LED-4) ------------------------------------------------------------


def project_outcomes(
    policy: Policy,
    *,
    rate: Decimal,
    amount: Decimal,
    events: Sequence[ProjectEvent],
    partner_exit: PartnerExit | None = None,
) -> list[EventOutcome]:
    """Replay a project's events and say, for each, what it earned (R-LED-4, R-LED-7).

    Events are taken in the order given (the order they were recorded); an identical repeat
    of a key is ignored, a different event under a used key is refused.
    """
    rate, amount = to_decimal(rate), to_decimal(amount)
    if amount <= 0:
        raise ValueError("contract amount must be positive")
    total = commission_total(rate, amount)
    fee = confirmation_fee(policy, amount)
    t, c = total.amount, fee.amount
    head = total.explanation + fee.explanation
    received = ZERO
    paid = accepted = False
    cancelled_on: dt.date | None = None
    credited = ZERO
    seen: dict[str, ProjectEvent] = {}
    outcomes: list[EventOutcome] = []

    for event in events:
        if not _check_unique(seen, event):
            continue
        skipped = _skipped(event, cancelled_on, partner_exit, policy)
        if skipped is not None:
            outcomes.append(skipped)
            continue

        if isinstance(event, Payment):
            received += event.amount
            paid = True
        elif isinstance(event, Refund):
            received -= event.amount
        elif isinstance(event, Acceptance):
            accepted = True
        elif isinstance(event, Cancellation):
            cancelled_on = event.date
            outcomes.append(
                EventOutcome(
                    event.key,
                    event.date,
                    None,
                    [
                        _event_step(event, received),
                        Step(
                            f"已计 {yuan(credited)} 保留，此后不再计佣",
                            f"{yuan(credited)} already credited is kept; nothing more is earned",
                        ),
                    ],
                )
            )
            continue

        steps = [*head, _event_step(event, received)]
        earned, basis, used_rate = _project_earned(
            policy, rate, amount, t, c, received, paid, accepted, steps
        )
        delta, steps = _credit(earned, credited, steps)
        entry = None
        if delta is not None:
            credited += delta
            entry = EntryResult(
                kind="settlement" if accepted else "confirmation",
                amount=delta,
                earned_on=event.date,
                event_key=event.key,
                basis=basis,
                rate=used_rate,
                earned_total=earned,
                credited_total=credited,
                explanation=steps,
            )
        outcomes.append(EventOutcome(event.key, event.date, entry, steps))
    return outcomes


def _project_earned(
    policy: Policy,
    rate: Decimal,
    amount: Decimal,
    t: Decimal,
    c: Decimal,
    received: Decimal,
    paid: bool,
    accepted: bool,
    steps: list[Step],
) -> tuple[Decimal, Decimal, Decimal]:
    """(earned so far, basis, rate) by the three phases of R-LED-4; appends its steps."""
    if not paid:
        steps.append(Step("尚无回款 → 应得 0.00", "no payment yet → earned 0.00"))
        return ZERO, amount, rate
    if not accepted:
        # min(T, C) equals C whenever r ≥ 8% (every v1 rate); it keeps T a ceiling regardless.
        earned = min(t, c)
        steps.append(
            Step(
                f"已回款、未验收 → 应得确认金 C = {yuan(earned)}",
                f"paid, not yet accepted → earned the confirmation fee C = {yuan(earned)}",
            )
        )
        if earned == c:
            return earned, amount, policy.confirmation_rate
        return earned, amount, rate
    by_received, text = _product(rate, received)
    higher = max(c, by_received)
    earned = min(t, higher)
    steps.append(
        Step(
            f"已验收 → r × R = {text}；max(C {yuan(c)}, {yuan(by_received)}) = {yuan(higher)}；"
            f"min(T {yuan(t)}, {yuan(higher)}) = 应得 {yuan(earned)}",
            f"accepted → r × R = {text}; max(C {yuan(c)}, {yuan(by_received)}) = {yuan(higher)}; "
            f"min(T {yuan(t)}, {yuan(higher)}) = earned {yuan(earned)}",
        )
    )
    if earned == t:
        return earned, amount, rate
    if earned == c:
        return earned, amount, policy.confirmation_rate
    return earned, received, rate


def project_entries(
    policy: Policy,
    *,
    rate: Decimal,
    amount: Decimal,
    events: Sequence[ProjectEvent],
    partner_exit: PartnerExit | None = None,
) -> list[EntryResult]:
    """The confirmation and settlement entries a project's events earn (R-LED-4)."""
    outcomes = project_outcomes(
        policy, rate=rate, amount=amount, events=events, partner_exit=partner_exit
    )
    return [o.entry for o in outcomes if o.entry is not None]


# --- recruitment override (R-LED-5) ----------------------------------------------------------


def override_outcomes(
    policy: Policy,
    *,
    amount: Decimal,
    events: Sequence[ProjectEvent],
    partner_exit: PartnerExit | None = None,
) -> list[EventOutcome]:
    """Replay a recruited partner's project for its recruiter's override (R-LED-5).

    Each payment earns cny(1% × min(R, A)) − already credited, when positive; acceptance does
    not matter; a refund only lowers R; after a cancellation nothing more is earned.
    ``partner_exit`` is the recruiter's own exit (R-LED-7).
    """
    amount = to_decimal(amount)
    if amount <= 0:
        raise ValueError("contract amount must be positive")
    received = ZERO
    credited = ZERO
    cancelled_on: dt.date | None = None
    seen: dict[str, ProjectEvent] = {}
    outcomes: list[EventOutcome] = []
    for event in events:
        if not _check_unique(seen, event):
            continue
        skipped = _skipped(event, cancelled_on, partner_exit, policy)
        if skipped is not None:
            outcomes.append(skipped)
            continue
        if isinstance(event, Payment):
            received += event.amount
        elif isinstance(event, Refund):
            received -= event.amount
        elif isinstance(event, Cancellation):
            cancelled_on = event.date
        steps = [_event_step(event, received)]
        if isinstance(event, Cancellation):
            steps.append(
                Step(
                    f"已计 {yuan(credited)} 保留，此后不再计佣",
                    f"{yuan(credited)} already credited is kept; nothing more is earned",
                )
            )
            outcomes.append(EventOutcome(event.key, event.date, None, steps))
            continue
        if not isinstance(event, Payment):
            steps.append(
                Step("只有回款产生推荐奖励 → 不入账", "only a payment earns an override → no entry")
            )
            outcomes.append(EventOutcome(event.key, event.date, None, steps))
            continue
        base = max(ZERO, min(received, amount))
        earned, text = _product(policy.override_rate, base)
        steps.append(
            Step(
                f"推荐奖励 = {pct(policy.override_rate)} × min(R {yuan(received)}, "
                f"A {yuan(amount)}) = {text}",
                f"override = {pct(policy.override_rate)} × min(R {yuan(received)}, "
                f"A {yuan(amount)}) = {text}",
            )
        )
        delta, steps = _credit(earned, credited, steps)
        entry = None
        if delta is not None:
            credited += delta
            entry = EntryResult(
                kind="override",
                amount=delta,
                earned_on=event.date,
                event_key=event.key,
                basis=base,
                rate=policy.override_rate,
                earned_total=earned,
                credited_total=credited,
                explanation=steps,
            )
        outcomes.append(EventOutcome(event.key, event.date, entry, steps))
    return outcomes


def override_entries(
    policy: Policy,
    *,
    amount: Decimal,
    events: Sequence[ProjectEvent],
    partner_exit: PartnerExit | None = None,
) -> list[EntryResult]:
    """The recruiter's override entries on one recruited partner's project (R-LED-5)."""
    outcomes = override_outcomes(policy, amount=amount, events=events, partner_exit=partner_exit)
    return [o.entry for o in outcomes if o.entry is not None]


# --- annual bonus (R-LED-6) ------------------------------------------------------------------


def annual_bonus(policy: Policy, performance: Decimal) -> AmountResult:
    """The annual bonus on the year's signed performance P: rate(P) × the whole P (R-LED-6)."""
    performance = to_decimal(performance)
    if performance < 0:
        raise ValueError("performance cannot be negative")
    first_bound = policy.annual_ladder[0][0]
    if performance < first_bound:
        step = Step(
            f"年度签约业绩 P = {yuan(performance)} < {yuan(first_bound)} → 无年度奖励，0.00",
            f"signed performance P = {yuan(performance)} < {yuan(first_bound)} → "
            f"no annual bonus, 0.00",
        )
        return AmountResult(amount=ZERO, rate=Decimal("0"), basis=performance, explanation=[step])
    bound, rate = first_bound, policy.annual_ladder[0][1]
    for lower, ladder_rate in policy.annual_ladder:
        if performance >= lower:
            bound, rate = lower, ladder_rate
    bonus, text = _product(rate, performance)
    steps = [
        Step(
            f"年度签约业绩 P = {yuan(performance)} ≥ {yuan(bound)} → 费率 {pct(rate)}",
            f"signed performance P = {yuan(performance)} ≥ {yuan(bound)} → rate {pct(rate)}",
        ),
        Step(
            f"年度奖励 = {text}（按全部业绩计）",
            f"annual bonus = {text} (on the whole P)",
        ),
    ]
    return AmountResult(amount=bonus, rate=rate, basis=performance, explanation=steps)


def annual_bonus_due(year: int) -> dt.date:
    """The annual bonus for ``year`` is due 31 January of the next year (R-POL-1)."""
    return dt.date(year + 1, 1, 31)


# --- due dates (R-LED-4, R-CAL) --------------------------------------------------------------


class BusinessDateLike(Protocol):
    @property
    def date(self) -> dt.date: ...

    @property
    def estimated(self) -> bool: ...


BusinessDaysFn = Callable[[dt.date, int], BusinessDateLike]


def due_date(
    event_date: dt.date,
    business_days_fn: BusinessDaysFn,
    *,
    days: int = POLICY_V1.payout_business_days,
) -> tuple[dt.date, bool]:
    """(due date, estimated): ``days`` business days after the earning event (R-LED-4).

    ``business_days_fn`` is :func:`huoban.calendar.add_business_days` (or its pure variant),
    injected so that these rules stay free of the database.
    """
    result = business_days_fn(event_date, days)
    return result.date, bool(result.estimated)


def due_step(event_date: dt.date, due_on: dt.date, *, days: int, estimated_note: str = "") -> Step:
    """The explanation step of a due date; ``estimated_note`` from huoban.calendar.explain."""
    zh = f"到期日 = {event_date} 后第 {days} 个工作日 = {due_on}"
    en = f"due = {days} business days after {event_date} = {due_on}"
    if estimated_note:
        note_zh, _, note_en = estimated_note.partition(" / ")
        zh += f"（{note_zh}）"
        en += f" ({note_en or note_zh})"
    return Step(zh, en)


# --- tail after exit (R-LED-7) ---------------------------------------------------------------


def tail_last_day(exit_date: dt.date, tail_years: int) -> dt.date:
    """The last day a payment still earns: the same date ``tail_years`` later.

    Civil Code art. 202: the period ends on the corresponding day of the final year, or on
    the last day of that month when there is none (exit 2028-02-29 → 2031-02-28).
    """
    year = exit_date.year + tail_years
    try:
        return exit_date.replace(year=year)
    except ValueError:  # 29 February into a common year
        return dt.date(year, 2, 28)


def tail_allows(
    exit_date: dt.date | None, exit_kind: str | None, payment_date: dt.date, tail_years: int
) -> tuple[bool, list[Step]]:
    """Whether a payment on ``payment_date`` still earns after the partner's exit (R-LED-7).

    A payment on or before E + ``tail_years`` (see :func:`tail_last_day`) earns; one after
    earns nothing. An exit caused by a company violation has no limit.
    """
    if exit_date is None:
        return True, [Step("伙伴未退出 → 正常计佣", "partner has not exited → earns as usual")]
    if exit_kind is None or exit_kind not in EXIT_KINDS:
        raise ValueError(f"unknown exit kind: {exit_kind!r}")
    if exit_kind == "company_violation":
        return True, [
            Step(
                f"伙伴因公司违约于 {exit_date} 退出 → 尾佣不限期",
                f"partner exited on {exit_date} after a company violation → no tail limit",
            )
        ]
    last = tail_last_day(exit_date, tail_years)
    kind_zh = EXIT_KINDS[exit_kind]
    if payment_date <= last:
        return True, [
            Step(
                f"伙伴于 {exit_date} 退出（{kind_zh}），尾佣期 {tail_years} 年至 {last}；"
                f"{payment_date} ≤ {last} → 计佣",
                f"partner exited on {exit_date} ({exit_kind}); tail of {tail_years} years "
                f"ends {last}; {payment_date} ≤ {last} → earns",
            )
        ]
    return False, [
        Step(
            f"伙伴于 {exit_date} 退出（{kind_zh}），尾佣期 {tail_years} 年至 {last}；"
            f"{payment_date} > {last} → 不计佣",
            f"partner exited on {exit_date} ({exit_kind}); tail of {tail_years} years "
            f"ends {last}; {payment_date} > {last} → earns nothing",
        )
    ]

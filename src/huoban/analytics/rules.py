"""Channel analytics as pure functions (SPEC §10.13, R-ANL-1): valid rate, cost, CAC, CLV, ROI,
retention and achievement of one channel and period, each explained step by step. No Django.

SPEC example: 10 leads, 6 valid, 3 projects for 3 new customers, 900,000.00 received,
180,000.00 commission earned and 20,000.00 of costs → cost 200,000.00, CAC 66,666.67,
ROI (900,000.00 − 200,000.00) ÷ 200,000.00 = 3.5 (350.0%)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from huoban.explain import Step, yuan
from huoban.money import ZERO, cny

#: R-ANL-1: CLV's gross margin, a setting (HUOBAN_GROSS_MARGIN), 30% by default.
DEFAULT_GROSS_MARGIN = Decimal("0.30")
RATIO = Decimal("0.0001")


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """numerator ÷ denominator to 4 places, half up; None when there is nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(RATIO, rounding=ROUND_HALF_UP)


def percent(value: Decimal | None) -> str:
    """A ratio as a percentage with one decimal (3.5 → '350.0%'); '—' for none."""
    if value is None:
        return "—"
    return f"{(value * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


@dataclass(frozen=True)
class Inputs:
    """What the queries count for one channel and period."""

    leads: int
    valid_leads: int
    projects: int
    new_customers: int
    revenue: Decimal  # cash received net of refunds in the period
    earned: Decimal  # commission, revenue share and unit commission earned in the period
    recorded_costs: Decimal  # events, marketing funds, travel in the period
    lifetime_cash: Decimal = ZERO  # net cash from the channel's customers, ever
    lifetime_customers: int = 0  # the channel's customers who paid anything, ever
    previous_year_customers: int = 0  # with cash or a signed project in the previous year
    retained_customers: int = 0  # of those, with cash or a signed project this year too
    kpi_actual: Decimal | None = None  # the primary KPI over the period's scorecards
    kpi_target: Decimal | None = None


@dataclass(frozen=True)
class Figures:
    inputs: Inputs
    valid_rate: Decimal | None
    cost: Decimal
    cac: Decimal | None
    clv: Decimal | None
    roi: Decimal | None
    retention: Decimal | None
    achievement: Decimal | None
    steps: tuple[Step, ...]


def figures(inputs: Inputs, *, gross_margin: Decimal = DEFAULT_GROSS_MARGIN) -> Figures:
    """R-ANL-1 for one channel and period."""
    steps: list[Step] = []
    valid_rate = ratio(Decimal(inputs.valid_leads), Decimal(inputs.leads))
    steps.append(
        Step(
            f"有效率 = {inputs.valid_leads} ÷ {inputs.leads} = {percent(valid_rate)}",
            f"Valid rate = {inputs.valid_leads} ÷ {inputs.leads} = {percent(valid_rate)}",
        )
    )
    cost = cny(inputs.earned + inputs.recorded_costs)
    steps.append(
        Step(
            f"成本 = 应计佣金与分成 {yuan(inputs.earned)} + 渠道费用 {yuan(inputs.recorded_costs)}"
            f" = {yuan(cost)}",
            f"Cost = commission and shares earned {yuan(inputs.earned)} + channel costs "
            f"{yuan(inputs.recorded_costs)} = {yuan(cost)}",
        )
    )
    cac = cny(cost / inputs.new_customers) if inputs.new_customers else None
    steps.append(
        Step(
            f"获客成本 CAC = {yuan(cost)} ÷ {inputs.new_customers} 个新客户 = "
            f"{yuan(cac) if cac is not None else '—'}",
            f"CAC = {yuan(cost)} ÷ {inputs.new_customers} new customers = "
            f"{yuan(cac) if cac is not None else '—'}",
        )
    )
    clv = None
    if inputs.lifetime_customers:
        clv = cny(inputs.lifetime_cash / inputs.lifetime_customers * gross_margin)
        steps.append(
            Step(
                f"客户终身价值 CLV = {yuan(inputs.lifetime_cash)} ÷ {inputs.lifetime_customers}"
                f" 个客户 × 毛利率 {percent(gross_margin)} = {yuan(clv)}",
                f"CLV = {yuan(inputs.lifetime_cash)} ÷ {inputs.lifetime_customers} customers × "
                f"gross margin {percent(gross_margin)} = {yuan(clv)}",
            )
        )
    roi = ratio(inputs.revenue - cost, cost)
    steps.append(
        Step(
            f"ROI = ({yuan(inputs.revenue)} − {yuan(cost)}) ÷ {yuan(cost)} = {percent(roi)}",
            f"ROI = ({yuan(inputs.revenue)} − {yuan(cost)}) ÷ {yuan(cost)} = {percent(roi)}",
        )
    )
    retention = ratio(Decimal(inputs.retained_customers), Decimal(inputs.previous_year_customers))
    steps.append(
        Step(
            f"留存率 = {inputs.retained_customers} ÷ {inputs.previous_year_customers} = "
            f"{percent(retention)}",
            f"Retention = {inputs.retained_customers} ÷ {inputs.previous_year_customers} = "
            f"{percent(retention)}",
        )
    )
    achievement = None
    if inputs.kpi_actual is not None and inputs.kpi_target:
        achievement = ratio(inputs.kpi_actual, inputs.kpi_target)
        steps.append(
            Step(
                f"目标达成率 = {inputs.kpi_actual} ÷ {inputs.kpi_target} = {percent(achievement)}",
                f"Achievement = {inputs.kpi_actual} ÷ {inputs.kpi_target} = {percent(achievement)}",
            )
        )
    return Figures(
        inputs=inputs,
        valid_rate=valid_rate,
        cost=cost,
        cac=cac,
        clv=clv,
        roi=roi,
        retention=retention,
        achievement=achievement,
        steps=tuple(steps),
    )


def combine(parts: list[Inputs]) -> Inputs:
    """The inputs of a group of channels (a type, a region, the programme): counts and sums
    added; the primary KPI summed only where both actual and target are known."""
    known = [p for p in parts if p.kpi_actual is not None and p.kpi_target]
    return Inputs(
        leads=sum(p.leads for p in parts),
        valid_leads=sum(p.valid_leads for p in parts),
        projects=sum(p.projects for p in parts),
        new_customers=sum(p.new_customers for p in parts),
        revenue=sum((p.revenue for p in parts), ZERO),
        earned=sum((p.earned for p in parts), ZERO),
        recorded_costs=sum((p.recorded_costs for p in parts), ZERO),
        lifetime_cash=sum((p.lifetime_cash for p in parts), ZERO),
        lifetime_customers=sum(p.lifetime_customers for p in parts),
        previous_year_customers=sum(p.previous_year_customers for p in parts),
        retained_customers=sum(p.retained_customers for p in parts),
        kpi_actual=sum((p.kpi_actual or ZERO for p in known), ZERO) if known else None,
        kpi_target=sum((p.kpi_target or ZERO for p in known), ZERO) if known else None,
    )

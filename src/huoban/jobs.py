"""The jobs run by `huoban tick` (ARCHITECTURE §5). Each job is idempotent, so tick may run every
hour: the SLA reminders (lead.sla_due, 4 hours ahead) need it at least that often; the daily jobs
do their work once per day."""

from __future__ import annotations

import datetime as dt

from huoban.agreements.reminders import remind_agreements
from huoban.analytics.services import snapshot_year_to_date
from huoban.commissions.settlement import settle_previous_year
from huoban.credit.reminders import remind_credit
from huoban.leads.services import flag_overdue_leads, remind_due_leads
from huoban.notifications.outbox import purge
from huoban.performance.cases import evaluate_cases
from huoban.performance.relations import columns
from huoban.performance.reminders import remind_performance
from huoban.profiles.report import write_monthly
from huoban.standing.tier_services import run_tier_jobs


def run_daily(day: dt.date) -> list[str]:
    """Run every daily job as of `day`; return one report line per job."""

    lines = []
    flagged = flag_overdue_leads()
    lines.append(f"leads: {flagged} newly overdue (R-LEAD-3)")
    reminded = remind_due_leads()
    lines.append(f"leads: {reminded} reminded, verdict due within 4 h (lead.sla_due)")
    lines.append(run_tier_jobs(day))
    lines.append(remind_agreements(day).line())
    events, deliveries = purge()
    lines.append(f"outbox: {events} old events and {deliveries} old deliveries removed (R-NOTE-3)")
    lines.append(settle_previous_year(day))
    lines.append(write_monthly(day, relations=columns))
    lines.append(remind_performance(day))
    lines.append(remind_credit(day))
    lines.append(evaluate_cases(day))
    lines.append(snapshot_year_to_date(day))
    return lines

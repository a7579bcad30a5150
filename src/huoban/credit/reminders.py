"""Credit reminders (SPEC §10.12, R-NOTE-1 `credit.review_due`): finance is told, once, when a
customer's review in force ends within 30 days and no newer one has been recorded (R-CRED-3:
reviewed yearly); the gm is told when a limit above 1,000,000.00 waits for approval."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse

from huoban.accounts.models import Role
from huoban.explain import yuan
from huoban.money import ZERO
from huoban.notifications.services import Message, first_time, notify, staff_with

from .models import CreditReview, ReviewStatus

#: Finance hears of a review this many days before its validity ends.
NOTICE_DAYS = 30


def _link(review: CreditReview) -> str:
    return reverse("console:customer_credit", kwargs={"customer_id": review.customer_id})


def tell_gm(review: CreditReview) -> None:
    """A review whose limit waits for the gm's approval (in the recording's transaction)."""
    limit = yuan(review.credit_limit or ZERO)
    notify(
        Message(
            "credit.review_due",
            f"{review.customer.legal_name} 的信用额度 {limit} 待审批",
            f"A credit limit of {limit} for {review.customer.legal_name} waits for approval",
            "额度超过 1,000,000.00 须总经理审批（R-CRED-2）。",
            "A limit above 1,000,000.00 needs the general manager's approval (R-CRED-2).",
            _link(review),
            data={
                "review_id": review.pk,
                "customer_id": review.customer_id,
                "credit_limit": str(review.credit_limit),
                "reason": "approval",
            },
        ),
        staff_with(Role.GM),
    )


def remind_credit(day: dt.date) -> str:
    """The day's reminders of reviews ending within 30 days; one line for `huoban tick`."""
    ending = (
        CreditReview.objects.filter(
            status=ReviewStatus.IN_FORCE,
            valid_until__gte=day,
            valid_until__lte=day + dt.timedelta(days=NOTICE_DAYS),
        )
        .select_related("customer")
        .order_by("valid_until", "id")
    )
    told = 0
    for review in ending:
        newer = CreditReview.objects.filter(
            customer_id=review.customer_id, recorded_at__gt=review.recorded_at
        ).exclude(status=ReviewStatus.DECLINED)
        if newer.exists():
            continue
        with transaction.atomic():
            if first_time("credit.review_due", f"credit:{review.pk}:{review.valid_until}"):
                notify(
                    Message(
                        "credit.review_due",
                        f"{review.customer.legal_name} 的资信调查将于 {review.valid_until} 到期",
                        f"{review.customer.legal_name}'s credit review ends on "
                        f"{review.valid_until}",
                        "请重新调查并登记（R-CRED-2/3）。",
                        "Review the customer again (R-CRED-2/3).",
                        _link(review),
                        data={
                            "review_id": review.pk,
                            "customer_id": review.customer_id,
                            "valid_until": review.valid_until.isoformat(),
                            "reason": "expiring",
                        },
                    ),
                    staff_with(Role.FINANCE),
                )
                told += 1
    return f"credit: {told} credit reviews ending within {NOTICE_DAYS} days (credit.review_due)"

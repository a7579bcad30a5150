"""Officers' answers to possible matches, kept and reused (R-ATT-2, issue #13).

:func:`remember_decision` is a step of the action that decides the match (``resolve_match``),
inside its transaction and under its audit event: "different" is kept so the pair is never asked
again; "same" is kept and the submitted name becomes an alias of the customer, so it is an exact
match next time.
"""

from __future__ import annotations

from huoban import clock
from huoban.accounts.models import User

from .models import Customer, CustomerName, MatchDecision, NameKind
from .normalize import clean_display_name, head2, normalize_name


def remember_decision(submitted: str, customer: Customer, *, same: bool, actor: User) -> None:
    """Keep an officer's answer on (submitted name, customer)."""
    key = normalize_name(submitted)
    if not key:
        return
    MatchDecision.objects.update_or_create(
        submitted=key,
        customer=customer,
        defaults={"same": same, "decided_by": actor, "decided_at": clock.now()},
    )
    if same and not CustomerName.objects.filter(normalized=key).exists():
        # An alias only where the key names no other customer (the decision itself still
        # answers for it: :func:`judged`).
        name = clean_display_name(submitted)[:200]
        CustomerName.objects.create(
            customer=customer, name=name, normalized=key, head2=head2(key), kind=NameKind.ALIAS
        )


def judged(key: str) -> tuple[int | None, set[int]]:
    """(the customer an officer last judged to be the submitted name `key`, the customers judged
    not to be it)."""
    same: int | None = None
    different: set[int] = set()
    rows = MatchDecision.objects.filter(submitted=key).order_by("decided_at", "id")
    for customer_id, is_same in rows.values_list("customer_id", "same"):
        if is_same:
            same = customer_id
        else:
            different.add(customer_id)
    return same, different

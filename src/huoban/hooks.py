"""Named hooks: how a lower layer tells a higher one that something happened (issue #11).

Leads and projects sit below the standing layer (tiers, violations, exit), which reads them;
they must not import it. When a lead becomes valid or a project is signed they send the hook
here, in their own transaction; :mod:`huoban.standing` connects its handlers when the partners
app is ready. R-TIER-1: a partner is promoted the moment it qualifies.

Projects also sit below the commission ledger, which reads their payments and acceptance. When
one of those changes the project service sends :data:`project_events_changed` inside its
transaction and the ledger (connected by the commissions app) answers with what it wrote; the
project service cannot succeed unless the ledger answered (:func:`answers`).

Every hook is a Django signal sent with ``partner=`` (the partner the event concerns).
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

#: A lead was judged valid, by the first verdict or a final second review (R-LEAD-3, R-LEAD-4).
lead_valid = Signal()

#: A project was signed (R-PROJ-1).
project_signed = Signal()

#: A project's payments, refunds, acceptance or cancellation changed (R-LED-4, R-LED-5, R-PROJ-5).
#: Sent with ``project=`` (locked by the sender); the ledger's receiver returns the list of
#: outcomes of the replay (:class:`huoban.commissions.ledger.Outcome`).
project_events_changed = Signal()

#: The same change, for the co-delivery partners' revenue share (R-RS-2): sent right after
#: :data:`project_events_changed`, in the same transaction; answered with outcomes too. Unlike
#: the ledger's, this answer is optional — a project without co-delivery partners has none.
project_cash_shared = Signal()


#: A project is being signed (R-CRED-3): sent with ``project=`` (just written, with its
#: ``cash_only``) inside the signing's transaction; the credit app answers with its decision or
#: raises :class:`huoban.errors.Conflict`, which undoes the signing.
project_signing = Signal()

#: A selection's candidate was signed and became a partner (R-SEL-4): sent with ``partner=``,
#: ``assessments=`` (``{kind: {dimension: 1..5}}`` from its screening) and ``actor=``, inside
#: the sign's transaction; the profiles answer with the assessments they recorded.
candidate_signed = Signal()


def optional_answers(signal: Signal, **kwargs: Any) -> list[Any]:
    """Like :func:`answers`, for a hook that may have no receiver."""
    sender = kwargs.pop("sender", None)
    found: list[Any] = []
    for _, answer in signal.send(sender=sender, **kwargs):
        found.extend(cast(list[Any], answer))
    return found


def answers(signal: Signal, **kwargs: Any) -> list[Any]:
    """Send ``signal`` and return its receivers' answers, concatenated, in connection order.

    A hook whose work is part of the sender's business action (the ledger booking a payment's
    commission) must have a receiver: none means the application is wired wrong, and the action
    fails rather than silently doing half its work.
    """
    sender = kwargs.pop("sender", None)
    responses = signal.send(sender=sender, **kwargs)
    if not responses:
        raise ImproperlyConfigured("no receiver is connected to this hook")
    found: list[Any] = []
    for _, answer in responses:
        found.extend(cast(list[Any], answer))
    return found

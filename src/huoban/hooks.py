"""Named hooks: how a lower layer tells a higher one that something happened (issue #11).

Leads and projects sit below the standing layer (tiers, violations, exit), which reads them;
they must not import it. When a lead becomes valid or a project is signed they send the hook
here, in their own transaction; :mod:`huoban.standing` connects its handlers when the partners
app is ready. R-TIER-1: a partner is promoted the moment it qualifies.

Every hook is a Django signal sent with ``partner=`` (the partner the event concerns).
"""

from __future__ import annotations

from django.dispatch import Signal

#: A lead was judged valid, by the first verdict or a final second review (R-LEAD-3, R-LEAD-4).
lead_valid = Signal()

#: A project was signed (R-PROJ-1).
project_signed = Signal()

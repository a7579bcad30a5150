"""A partner's standing: tiers (SPEC §7), violations and exit (SPEC §9).

A layer above projects, leads and the ledger, because standing is computed from them (signed
volume, valid leads) and acts on them (liquidated damages in the ledger, projects handed over
at exit); the registry it changes (``Partner``, ``TierChange``, ``TierApplication``, the
violations) keeps its models in ``huoban.partners``, the app every other app points at. Leads
and projects tell this layer what happened through :mod:`huoban.hooks` (R-TIER-1), never by
importing it (issue #11).
"""

"""Revenue share with co-delivering partners (SPEC §10.5, R-RS): each payment and refund on a
co-delivered project books the co-delivery partner's share in its own hash-chained ledger."""

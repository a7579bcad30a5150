"""Written cooperation agreements (SPEC §10.4, R-AGR): terms, legal review, gm approval,
versions as amendments, exit terms."""

"""Partner profiles beyond referrals (SPEC §10.1–§10.2): classification, criticality and
assessments."""

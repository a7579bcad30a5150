"""Managing partners over time (SPEC §10.7–§10.13): monthly scorecards first (R-KPI)."""

"""Choosing a partner (SPEC §10.3, R-SEL): a selection with its needs and criteria, candidates
through screening, NDA, due diligence and a trial, the decision, and `sign`."""

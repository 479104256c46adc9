"""The web layer, above the models and below the features: the write path (writes.py),
the audit trail (audit.py), the per-request memo (memo.py), what every page uses
(pages.py: the case loaded for the current user, form fields, filters), and /livez,
/readyz and /metrics for the people who run the app."""

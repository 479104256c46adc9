"""The case itself: the melding and triage, the case page, where a case stands (state.py) and its
stored status (status.py)."""

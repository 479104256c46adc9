"""Step 5: the group meeting (meeting mode)."""

"""The coordinator's overview of every open case."""

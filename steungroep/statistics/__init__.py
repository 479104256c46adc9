"""Cijfers: the coordinator's statistics."""

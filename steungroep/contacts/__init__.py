"""Beside the steungroep: talks and contacts, the one-off path, the pupils involved."""

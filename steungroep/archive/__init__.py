"""The archive: closed and escalated cases, searchable, for who saw them open."""

"""Dates and reminders: planning the meeting, moving evaluations, the school calendar, the
scheduler and its jobs, e-mail, the calendar feed."""

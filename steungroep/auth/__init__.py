"""Logging in, the screen lock, passwords and server-side logins."""

"""Infrastructure every feature uses: configuration, extensions, the write path (writes.py),
security headers, the htmx helper, timing, time, mail, access rules and the audit trail."""

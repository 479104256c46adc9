"""Children's data over time: retention, erasure, the copy for an access request, the
audit pages."""

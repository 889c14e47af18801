"""Notices, the third phase: destruction → notices → compliance → inventory → windown.
Notices reads compliance and inventory; only destruction (above it) reads notices."""

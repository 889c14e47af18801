"""The director's dashboard: one page over every phase.

The top layer: dashboard → destruction → notices → compliance → inventory → windown. It reads
each phase through that phase's `dashboard.py` (one `panel(membership)` function per phase), so
no phase knows the dashboard and the core imports no phase app.
"""

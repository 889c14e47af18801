"""Destruction, the fourth phase and the top layer: destruction → notices → compliance →
inventory → windown. It reads the phases below only through their selectors and services
(`lint-imports` enforces the direction); nothing below imports it."""

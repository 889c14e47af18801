"""Fixtures of the destruction tests: each part keeps its own in a module imported here."""

from destruction.tests.fixtures_processors import *  # noqa: F403

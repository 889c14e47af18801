"""Admin of the destruction phase: each part registers its models in its own module."""

from destruction import admin_processors  # noqa: F401

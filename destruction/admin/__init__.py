"""Admin of every destruction model, one module per sub-domain (each registers its models)."""

from destruction.admin import archives, certificates, jobs, processors  # noqa: F401

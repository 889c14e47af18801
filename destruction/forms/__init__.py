"""Destruction forms, one module per sub-domain (jobs and vendors, archives, processors)."""

"""Pages of the destruction phase: jobs (IT performs; director, legal, auditor read), vendors,
evidence."""

"""The destruction phase's read queries, one module per sub-domain."""

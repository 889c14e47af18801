"""The destruction phase's services, one module per sub-domain."""

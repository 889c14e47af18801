"""Read queries of the destruction phase, one module per sub-domain."""

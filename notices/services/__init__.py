"""Write operations of the notices phase, split by sub-domain; each one is audited."""

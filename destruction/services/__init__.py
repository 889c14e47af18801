"""Write operations of the destruction phase, split by sub-domain; every one is audited."""

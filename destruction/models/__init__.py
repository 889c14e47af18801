"""Models of the destruction phase, one module per sub-domain."""

from destruction.models.archives import Archive, ArchiveKeyEnvelope, CustodianKey

__all__ = ["Archive", "ArchiveKeyEnvelope", "CustodianKey"]

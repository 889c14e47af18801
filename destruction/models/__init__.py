"""The destruction phase's models, one module per sub-domain, all importable from here."""

from destruction.models.processors import (
    ProcessorEmail,
    ProcessorRequest,
    ProcessorRequestItem,
    RevocationItem,
)

__all__ = ["ProcessorEmail", "ProcessorRequest", "ProcessorRequestItem", "RevocationItem"]

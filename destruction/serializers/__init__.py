"""The destruction API's serializers, one module per sub-domain (jobs, archives, processors)."""

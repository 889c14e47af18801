"""The destruction API's viewsets, one module per sub-domain: jobs and vendors, archives and
custodian keys, processor requests; `destruction.api_urls` routes them."""

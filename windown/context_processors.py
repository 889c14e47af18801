def winddown_context(request):
    """Expose the current wind-down membership (set by WindDownMixin) to every template."""
    membership = getattr(request, "membership", None)
    return {"membership": membership, "winddown": getattr(membership, "winddown", None)}

"""The compliance API (serializers and viewsets)."""

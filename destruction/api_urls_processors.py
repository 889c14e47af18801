"""API endpoints of the processors (the other branch fills this module at merge)."""

urlpatterns: list = []

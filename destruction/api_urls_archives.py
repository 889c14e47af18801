"""API endpoints of the archives (the other branch fills this module at merge)."""

urlpatterns: list = []

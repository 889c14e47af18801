"""URLs of the archives pages (the other branch fills this module at merge)."""

urlpatterns: list = []

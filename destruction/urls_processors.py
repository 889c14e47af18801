"""URLs of the processors pages (the other branch fills this module at merge)."""

urlpatterns: list = []

from destruction import admin_archives  # noqa: F401

"""Browser views of the inventory phase: thin, each one calls a selector or one service."""

"""Signals the inventory sends; phases above it (compliance) receive them, inventory never
imports them.

`holdings_changed` is sent with `sender=Holding, winddown=<WindDown>, holding_ids=[...],
deleted=bool` from `transaction.on_commit` whenever holdings are created, updated, deleted or
imported, when their system changes, and when legal changes their category's record type or
sensitivity; `holding_ids` names the affected holdings (for a deletion, the ids they had).
"""

from django.dispatch import Signal

holdings_changed = Signal()

"""Signals other features listen to, so registration need not know them."""

from blinker import Namespace

signals = Namespace()

#: sent before a registration's category changes, with ``new_category`` and ``now``;
#: a receiver may raise :class:`meetops.errors.ValidationError` to refuse the change
category_changing = signals.signal("category-changing")

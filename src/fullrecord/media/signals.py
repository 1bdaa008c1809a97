"""What the write path announces, so that it never imports the layer that reacts.

``services`` sends :data:`item_received` once a new original's row is committed;
``tasks`` (connected in ``MediaConfig.ready``) queues its analysis. Tasks call
services, never the reverse: there is no import cycle between them.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent after the commit with ``item_id``: a new original is evidence and awaits analysis
# (also sent by the sweep for an item whose analysis a crash left unqueued).
item_received = Signal()
# Sent after the commit with ``item_id``: an item's derived files are to be made again.
derived_lost = Signal()
# Sent after the commit with ``item_id``: what is known of an item's time or device changed
# (its analysis finished, or its classification was corrected). Apps that bind footage to
# something of their own (``devices``: the checkout window) connect here and to
# ``item_received``; media knows nothing of them.
item_changed = Signal()

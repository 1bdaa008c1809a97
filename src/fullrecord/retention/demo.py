"""The demo bureau's retention: a long-term hold, a deletion sweep awaiting its second
approval, and (once the case is archived) an exported case file.

Found by ``core.demo``'s autodiscovery; everything goes through the services.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from fullrecord.core.demo import populate

from . import services
from .choices import HoldReason

log = logging.getLogger(__name__)


def _old_patrol_photos(users) -> None:
    """Two routine patrol photos received seven months ago, linked to no case: fallen due.

    The demo makes history by moving the clock while they are received (time-machine,
    installed with the development extras that ``make run`` uses)."""
    try:
        import time_machine
    except ImportError:  # a production install without the dev extras: no old footage
        log.warning("time-machine is not installed: the demo has no footage fallen due")
        return
    from fullrecord.core.demo_media import _ingest, make_photo
    from fullrecord.media.services import Hints

    officer = users["officer3"]
    received = timezone.now() - timedelta(days=215)
    with tempfile.TemporaryDirectory() as work, time_machine.travel(received, tick=False):
        for n in (1, 2):
            photo = make_photo(Path(work) / f"日常巡查_{n}.jpg", f"patrol {n}")
            _ingest(
                photo,
                officer,
                Hints(officer=officer, used_at=received, task_reference="XC-2026-04"),
            )


@populate
def retention(users, cases) -> None:
    # 第十三条: the party of the case with footage complained; its evidence is held.
    with_footage = [c for c in cases if c.media_links.exists()]
    if with_footage:
        services.place_hold(
            actor=users["head1"],
            reason=HoldReason.OBJECTION,
            note="当事人对现场勘验结果提出异议并已信访，相关音像资料长期保存。",
            case=with_footage[0],
        )
    # 第十八条第五项: routine footage past six months, listed and approved once.
    _old_patrol_photos(users)
    try:
        sweep = services.list_due(actor=users["archivist"])
    except services.RetentionError:
        return
    services.approve(sweep, actor=users["archivist"])

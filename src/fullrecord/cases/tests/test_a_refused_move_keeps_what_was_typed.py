"""A refused move keeps what was typed (issue 14), and the hearing date picker starts at
the first day the law allows (第六十四条), the day the server checks too."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from fullrecord.cases.choices import CaseState
from fullrecord.cases.deadlines import earliest_hearing_date
from fullrecord.cases.tests.helpers import ready_case
from fullrecord.core.testing.workflow import only_case_requirements


def test_a_too_early_hearing_is_refused_and_the_page_shows_back_the_typed_text(bureau, client):
    case = ready_case(bureau, CaseState.NOTIFIED, windows="open")
    client.force_login(bureau.officer)
    too_early = (timezone.localdate() + timedelta(days=1)).isoformat()

    with only_case_requirements():
        response = client.post(
            f"/cases/{case.pk}/transitions/request_hearing/",
            {"hearing_date": too_early, "reason": "当事人当场书面申请听证"},
            follow=True,
        )

    case.refresh_from_db()
    assert case.state == CaseState.NOTIFIED
    page = response.content.decode()
    assert "第六十四条" in page
    assert "当事人当场书面申请听证</textarea>" in page
    assert f'value="{too_early}"' in page
    # shown back once: the next visit starts empty
    assert "当事人当场书面申请听证" not in client.get(case.get_absolute_url()).content.decode()


def test_the_hearing_picker_starts_at_the_earliest_lawful_day(bureau, client):
    case = ready_case(bureau, CaseState.NOTIFIED, windows="open")
    client.force_login(bureau.officer)

    page = client.get(case.get_absolute_url()).content.decode()

    earliest = earliest_hearing_date(timezone.localdate()).date.isoformat()
    assert re.search(rf'name="hearing_date"[^>]* min="{earliest}"', page)

"""/media/upload/: the browser's way in — strict CSP, Chinese first, wired to /api/uploads/."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from fullrecord.core.testing.factories import AssignmentFactory, CaseFactory


@pytest.fixture
def officer_client(bureau):
    client = Client()
    client.force_login(bureau.officer)
    return client


def test_the_page_carries_its_settings_in_data_attributes_only(officer_client):
    response = officer_client.get("/media/upload/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-endpoint="/api/uploads/"' in html
    assert re.search(r'data-csrf="[^"]{32,}"', html)
    assert 'type="file"' in html and "multiple" in html
    assert "<progress" in html  # one per file, from the row template
    # No inline script or style anywhere: every <script> loads a file, no style attribute.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html and "<style" not in html
    assert "/static/media/tus.min.js" in html and "/static/media/upload.js" in html


def test_the_page_speaks_chinese_by_default(officer_client):
    html = officer_client.get("/media/upload/").content.decode()
    assert 'lang="zh-hans"' in html
    assert "上传" in html


def test_from_a_case_the_page_uploads_into_it(officer_client, bureau):
    case = CaseFactory(org_unit=bureau.section1, created_by=bureau.head)
    AssignmentFactory(case=case, officer=bureau.officer)
    html = officer_client.get(f"/media/upload/?case={case.pk}").content.decode()
    assert f'data-case="{case.pk}"' in html
    assert case.number in html


def test_a_case_the_user_may_not_add_to_is_404(officer_client, bureau):
    other = CaseFactory(org_unit=bureau.section2)
    assert officer_client.get(f"/media/upload/?case={other.pk}").status_code == 404


def test_a_role_that_may_not_upload_does_not_get_the_page(bureau):
    client = Client()
    client.force_login(bureau.inspector)
    assert client.get("/media/upload/").status_code == 404


def test_the_vendored_client_is_served(officer_client):
    from django.contrib.staticfiles import finders

    assert finders.find("media/tus.min.js")
    assert finders.find("media/upload.js")
    assert finders.find("media/upload.css")

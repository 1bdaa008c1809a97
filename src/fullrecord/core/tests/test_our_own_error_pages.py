"""Errors answer with our own pages, in Chinese and the site's layout, each with a way on."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from fullrecord.core import errors


@pytest.fixture
def officer_client(bureau):
    client = Client(raise_request_exception=False)
    client.force_login(bureau.officer)
    return client


def test_a_case_out_of_reach_offers_an_access_request(bureau, officer_client):
    response = officer_client.get("/cases/999999/")

    page = response.content.decode()
    assert response.status_code == 404
    assert 'class="topbar"' in page and 'lang="zh-hans"' in page
    assert "此页面不存在" in page
    assert 'data-testid="ask-access"' in page
    assert "DEBUG" not in page and "Page not found" not in page


def test_a_record_out_of_reach_names_it_in_the_access_request(bureau, officer_client):
    page = officer_client.get("/media/424242/").content.decode()

    assert "/access/new/?item=424242" in page


def test_an_unknown_address_answers_the_same_page_to_anyone(db):
    response = Client().get("/no/such/page/")

    assert response.status_code == 404
    assert "此页面不存在" in response.content.decode()
    assert 'data-testid="ask-access"' not in response.content.decode()


def test_a_server_error_page_is_chinese_and_needs_nothing_from_the_request(db):
    response = errors.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "系统出现错误" in response.content.decode()
    assert "Traceback" not in response.content.decode()


@pytest.mark.parametrize(("handler", "status"), [("bad_request", 400), ("permission_denied", 403)])
def test_400_and_403_are_ours(bureau, handler, status):
    request = RequestFactory().get("/")
    request.user = bureau.officer

    response = getattr(errors, handler)(request, Exception("x"))

    assert response.status_code == status
    assert 'class="topbar"' in response.content.decode()


def test_a_stale_form_shows_back_what_was_typed_but_no_password(bureau):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bureau.officer)

    response = client.post(
        "/cases/new/",
        {"summary": "现场发现违法占地约三亩", "address": "城关镇", "password": "secret-pw"},
    )

    page = response.content.decode()
    assert response.status_code == 403
    assert "表单已失效" in page
    assert "现场发现违法占地约三亩" in page
    assert "secret-pw" not in page
    assert "DEBUG" not in page

"""Everyone's own account page leads to changing their password and to their second
factor; both pages open for an officer."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_profile_links_to_the_own_account_pages_and_they_open(client, bureau):
    client.force_login(bureau.officer)

    page = client.get("/accounts/profile/").content.decode()

    for testid, url in (
        ("own-password", "/administration/me/password/"),
        ("own-two-factor", "/administration/me/two-factor/"),
    ):
        assert f'href="{url}" data-testid="{testid}"' in page
        assert client.get(url).status_code == 200

"""Statistics per device, officer and section, in the API and as charts drawn by the
vendored ECharts (no CDN)."""

from __future__ import annotations

from django.contrib.staticfiles import finders

from fullrecord.devices.services import checkin_device

from .helpers import check_out, register


def test_the_api_counts_checkouts_and_hours_per_officer_and_section(bureau, api_client):
    camera = register(bureau, "DSJ-0801")
    register(bureau, "DSJ-0802")
    checkin_device(check_out(camera, bureau.officer).checkout, actor=bureau.officer)
    api_client.force_authenticate(bureau.head)

    numbers = api_client.get("/api/device-statistics/?days=30").json()

    assert [r["name"] for r in numbers["officers"]] == ["officer"]
    assert numbers["officers"][0]["checkouts"] == 1
    assert numbers["sections"][0]["name"] == "执法一科"
    assert "DSJ-0802" in numbers["idle"]
    assert numbers["models"][0]["devices"] == 2


def test_the_page_loads_its_charts_from_this_server(bureau, client):
    register(bureau, "DSJ-0803")
    client.force_login(bureau.leader)

    page = client.get("/devices/statistics/").content.decode()

    assert "/static/devices/vendor/echarts/echarts.min.js" in page
    assert "cdn" not in page.lower() and "https://" not in page
    assert 'id="device-statistics"' in page  # the numbers the charts draw
    assert finders.find("devices/vendor/echarts/echarts.min.js")


def test_an_officer_has_no_statistics(bureau, client, api_client):
    client.force_login(bureau.officer)
    api_client.force_authenticate(bureau.officer)
    assert client.get("/devices/statistics/").status_code == 404
    assert api_client.get("/api/device-statistics/").status_code == 404


def test_each_figure_of_the_issue_has_its_chart_per_device_officer_and_section(
    bureau, client, api_client
):
    camera = register(bureau, "DSJ-0804")
    checkin_device(check_out(camera, bureau.officer).checkout, actor=bureau.officer)
    client.force_login(bureau.head)
    page = client.get("/devices/statistics/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for chart in ("table-devices", "table-officers", "table-sections", "counts", "models"):
        assert f'data-testid="chart-{chart}"' in page
    assert page.count('data-testid="chart-officers"') == 1  # one name, one chart
    assert "per device" not in page  # the titles are in Chinese
    api_client.force_authenticate(bureau.head)
    assert api_client.get("/api/device-statistics/").json()["devices_total"] == 1

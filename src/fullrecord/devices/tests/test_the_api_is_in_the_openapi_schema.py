"""The devices API is described in the OpenAPI schema, with its own named enums."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_schema_names_every_devices_endpoint(client):
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]

    assert {"get", "post"} <= set(paths["/api/devices/"])
    assert "post" in paths["/api/devices/{id}/checkout/"]
    assert "post" in paths["/api/devices/{id}/checkin/"]
    assert "post" in paths["/api/checkouts/{id}/correction/"]
    assert {"get", "post"} <= set(paths["/api/device-faults/"])
    assert "post" in paths["/api/device-faults/{id}/moves/"]
    assert {"get", "post"} <= set(paths["/api/patrols/"])
    assert {"get", "post"} <= set(paths["/api/media/{id}/marks/"])
    assert "get" in paths["/api/device-statistics/"]
    assert "409" in paths["/api/devices/{id}/checkout/"]["post"]["responses"]
    assert "DeviceStatusEnum" in schema["components"]["schemas"]


def test_the_schema_names_the_registry_maintenance_and_retirement_endpoints(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]

    assert {"get", "patch"} <= set(paths["/api/devices/{id}/"])
    assert "put" not in paths["/api/devices/{id}/"]
    assert "post" in paths["/api/devices/{id}/retire/"]
    assert {"get", "post"} <= set(paths["/api/devices/{id}/footage-lost/"])
    assert {"get", "post"} <= set(paths["/api/devices/{id}/maintenance/"])
    assert "post" in paths["/api/devices/{id}/override/"]
    assert "get" in paths["/api/device-models/"]
    assert {"get", "patch"} <= set(paths["/api/device-models/{id}/"])

"""Issue 11 and the zh-hans-first rule: every audit action devices writes (now or in an
earlier release) has a Chinese label, and the devices API refuses in Chinese."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

from fullrecord.audit.labels import action_label

CJK = re.compile(r"[\u4e00-\u9fff]")
SOURCE = Path(__file__).resolve().parent.parent / "services.py"


def test_every_devices_action_has_a_chinese_label():
    codes = set(re.findall(r'record\(\s*"(devices\.[a-z_]+)"', SOURCE.read_text()))
    codes |= {"media.bind", "media.unbind"}  # what a binding writes on the record
    assert "devices.book" in codes and len(codes) > 10
    with translation.override("zh-hans"):
        unlabelled = {code for code in codes if not CJK.search(action_label(code))}
    assert unlabelled == set()


def test_the_api_refuses_an_unknown_device_in_chinese(bureau, api_client):
    api_client.force_authenticate(bureau.officer)
    answer = api_client.post(
        "/api/device-faults/",
        {"device": 999999, "kind": "lost"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert answer.status_code == 400
    assert CJK.search(str(answer.json()["device"])) and "no such" not in answer.content.decode()

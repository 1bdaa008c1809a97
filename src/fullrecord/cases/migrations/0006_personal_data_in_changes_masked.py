"""Changes of a party's identity number, address or contact made before this release held
the values in clear (before, after and the value waiting for approval): they are masked
in place, and a value still waiting is sealed with SM4 (个人信息保护法, 密评). Notices
that quoted them are masked too. Audit entries are append-only and keep what they said;
``docs/security.md`` says so.
"""

from django.db import migrations

SEALED = {"id_number", "address", "contact"}


def _mask(sm4, name, value):
    if not value:
        return value
    return sm4.mask(value) if name == "id_number" else sm4.mask_text(value)


def mask_changes(apps, schema_editor):
    from fullrecord.security import sm4

    CaseChange = apps.get_model("cases", "CaseChange")
    Notification = apps.get_model("notifications", "Notification")
    for change in CaseChange.objects.exclude(party_name="").order_by("pk").iterator():
        touched = False
        for name, item in change.changes.items():
            if name not in SEALED or item.get("sealed"):
                continue
            clear = [item.get("before") or "", item.get("after") or ""]
            item["before"] = _mask(sm4, name, item.get("before"))
            item["after"] = _mask(sm4, name, item.get("after"))
            item["value"] = sm4.seal(str(item.get("value") or ""))
            item["sealed"] = True
            touched = True
            for plain, masked in zip(clear, [item["before"], item["after"]], strict=True):
                if len(plain) >= 4:
                    for notice in Notification.objects.filter(message__contains=plain):
                        notice.message = notice.message.replace(plain, masked)
                        notice.save(update_fields=["message"])
        if touched:
            change.save(update_fields=["changes"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_case_completeness"),
        ("notifications", "0001_initial"),
        ("security", "0001_initial"),
    ]

    operations = [migrations.RunPython(mask_changes, migrations.RunPython.noop)]

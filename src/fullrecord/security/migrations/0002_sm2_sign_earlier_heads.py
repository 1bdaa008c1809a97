"""Tree heads signed before SM2 support get their SM2 co-signature now, so that
``fullrecord verify`` passes right after the upgrade (security/heads.py)."""

from datetime import UTC

from django.db import migrations


def cosign_earlier_heads(apps, schema_editor):
    from fullrecord.security import sm2

    SignedTreeHead = apps.get_model("audit", "SignedTreeHead")
    SM2TreeHead = apps.get_model("security", "SM2TreeHead")
    heads = list(SignedTreeHead.objects.order_by("tree_size"))
    if not heads:
        return
    public = sm2.public_key()
    done = set(SM2TreeHead.objects.values_list("tree_size", flat=True))
    for head in heads:
        if head.tree_size in done:
            continue
        stamp = head.signed_at.astimezone(UTC).isoformat(timespec="microseconds")
        SM2TreeHead.objects.create(
            tree_size=head.tree_size,
            root_hash=head.root_hash,
            signed_at=stamp,
            key_id=sm2.key_id_of(public),
            public_key=public,
            signature=sm2.sign(sm2.tree_head_message(head.tree_size, head.root_hash, stamp)),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0001_initial"),
        ("audit", "0005_signing_keys_and_head_sinks"),
    ]

    operations = [migrations.RunPython(cosign_earlier_heads, migrations.RunPython.noop)]

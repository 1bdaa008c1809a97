from django.core.management.base import BaseCommand

from fullrecord.audit.services import sign_tree_head
from fullrecord.audit.sinks import deliver_heads


class Command(BaseCommand):
    help = (
        "Sign the audit log's current tree head if it grew, and send the heads to the "
        "destinations in FULLRECORD_AUDIT_HEAD_SINKS (the every-minute job does the same)."
    )

    def handle(self, *args, **options) -> None:
        sth = sign_tree_head()
        if sth is None:
            self.stdout.write("Nothing new to sign: the log has not grown since its last head.")
        else:
            self.stdout.write(f"signed tree head: size {sth.tree_size} root {sth.root_hash}")
        for sink, outcome in deliver_heads().items():
            self.stdout.write(f"{sink}: {outcome}")

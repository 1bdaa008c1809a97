from django.core.management.base import BaseCommand

from fullrecord.audit.services import sign_tree_head


class Command(BaseCommand):
    help = "Sign the audit log's current tree head (run daily, e.g. from a systemd timer)."

    def handle(self, *args, **options) -> None:
        sth = sign_tree_head()
        if sth is None:
            self.stdout.write("The audit log is empty; nothing to sign.")
        else:
            self.stdout.write(f"signed tree head: size {sth.tree_size} root {sth.root_hash}")

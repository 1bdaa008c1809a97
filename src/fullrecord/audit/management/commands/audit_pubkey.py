from django.core.management.base import BaseCommand

from fullrecord.audit import signing


class Command(BaseCommand):
    help = "Print the public key (PEM) that verifies the audit log's signed tree heads."

    def handle(self, *args, **options) -> None:
        self.stdout.write(signing.public_key_pem(), ending="")

"""Keep-until dates follow the records they depend on, in the same transaction.

Model signals (not request signals) so every path — page, API, command, demo — is
covered: an item received, linked to or unlinked from a case, a written record's file
stored, a case archived or ended.
The daily listing recomputes everything again before anything falls due.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from fullrecord.cases.choices import FINAL_STATES
from fullrecord.cases.models import CaseTransition
from fullrecord.documents.models import Document
from fullrecord.media.models import CaseMediaLink, DeletionPermit, MediaItem

from . import services


@receiver(post_save, sender=MediaItem, dispatch_uid="retention.item_received")
def item_received(sender, instance: MediaItem, created: bool, raw: bool = False, **kwargs):
    if created and not raw:
        services.refresh(instance)


@receiver(post_save, sender=CaseMediaLink, dispatch_uid="retention.item_linked")
def item_linked(sender, instance: CaseMediaLink, created: bool, raw: bool = False, **kwargs):
    if created and not raw:
        services.refresh(instance.item)


@receiver(post_delete, sender=CaseMediaLink, dispatch_uid="retention.item_unlinked")
def item_unlinked(sender, instance: CaseMediaLink, **kwargs):
    item = MediaItem.objects.filter(pk=instance.item_id).first()
    if item is None or DeletionPermit.objects.filter(sha256=item.sha256).exists():
        return  # the sweep is deleting it
    services.refresh(item)


@receiver(post_save, sender=CaseTransition, dispatch_uid="retention.case_closed")
def case_moved(sender, instance: CaseTransition, created: bool, raw: bool = False, **kwargs):
    if created and not raw and instance.to_state in FINAL_STATES:
        for item in services.items_of_case(instance.case):
            services.refresh(item)


@receiver(post_save, sender=Document, dispatch_uid="retention.document_stored")
def document_stored(sender, instance: Document, raw: bool = False, **kwargs):
    """An issued PDF or a scan is kept as long as its case's file, not the routine term."""
    if instance.file_item_id and not raw:
        services.refresh(instance.file_item)

"""What each recorded action is called in the interface; the log itself keeps the code."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "access.request": _("Access request filed"),
    "access.approve": _("Access approved"),
    "access.refuse": _("Access refused"),
    "access.revoke": _("Access revoked"),
    "access.withdraw": _("Access request withdrawn"),
    "access.copy": _("Watermarked copy made"),
    "access.copy_download": _("Copy downloaded"),
    "access.rendition": _("Watermarked rendition made for playback"),
    "access.export": _("Originals exported"),
    "account.login": _("Signed in"),
    "account.login_failed": _("Failed sign-in"),
    "account.logout": _("Signed out"),
    "account.locked": _("Account locked"),
    "account.unlocked": _("Account unlocked"),
    "account.token_issued": _("API token issued"),
    "account.token_rotated": _("API token rotated"),
    "account.token_revoked": _("API token revoked"),
    "account.address_locked": _("Address stopped after failed sign-ins"),
    "account.sessions_ended": _("Sessions ended by a lock"),
    "admin.add": _("Added in administration"),
    "admin.change": _("Changed in administration"),
    "admin.delete": _("Deleted in administration"),
    "audit.search": _("Audit log searched"),
    "audit.export": _("Audit log exported"),
    "audit.key_rotate": _("Audit signing key rotated"),
    "case.create": _("Case opened"),
    "case.edit": _("Case edited"),
    "case.view": _("Case file viewed"),
    "case.transition": _("Case moved"),
    "case.assign": _("Officer assigned"),
    "case.unassign": _("Officer removed"),
    "case.party_add": _("Party added"),
    "case.party_remove": _("Party removed"),
    "media.ingest": _("Original received"),
    "media.duplicate": _("Same original received again"),
    "media.analyse": _("Analysed"),
    "media.classify": _("Classification corrected"),
    "media.link": _("Linked to a case"),
    "media.view": _("Viewed"),
    "media.play": _("Played"),
    "media.read": _("Poster or thumbnail read"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))

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
    "case.party_edit": _("Party corrected"),
    "case.change_request": _("Change of case facts asked"),
    "case.change_approve": _("Change of case facts approved"),
    "case.change_reject": _("Change of case facts rejected"),
    "media.ingest": _("Original received"),
    "media.duplicate": _("Same original received again"),
    "media.analyse": _("Analysed"),
    "media.classify": _("Classification corrected"),
    "media.link": _("Linked to a case"),
    "media.view": _("Viewed"),
    "media.play": _("Played"),
    "media.read": _("Poster or thumbnail read"),
}


# What the keys of an entry's details are called; apps add theirs with register_fields.
FIELD_LABELS = {
    "changes": _("Changes"),
    "reason": _("Reason"),
    "note": _("Remarks"),
    "change": _("Change no."),
    "party": _("Party"),
    "requested_by": _("Asked by"),
    "transition": _("Move"),
    "from": _("From"),
    "to": _("To"),
    "request": _("Access request"),
    "officer": _("Officer"),
    "officers": _("Officers"),
    "cause": _("Cause"),
    "source": _("How it was found"),
    "org_unit": _("Unit"),
    "id_number": _("Document number"),
}


def register_fields(labels: dict) -> None:
    """Name the detail keys an app writes (call from ``AppConfig.ready``)."""
    FIELD_LABELS.update(labels)


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


def codes_named(word: str) -> list[str]:
    """The action codes whose label, in the current language, contains ``word``."""
    word = word.strip().lower()
    return [code for code, label in ACTION_LABELS.items() if word and word in str(label).lower()]


def field_label(key: str) -> str:
    return str(FIELD_LABELS.get(key, key))


def readable(value) -> str:
    """A detail's value as a person reads it: before → after, labelled pairs, 是/否."""
    from django.utils.translation import gettext

    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple):
        if len(value) == 2 and all(isinstance(v, str | int | float | None) for v in value):
            return f"{readable(value[0])} → {readable(value[1])}"
        return "、".join(readable(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{field_label(k)}：{readable(v)}" for k, v in value.items())
    return str(value)

from django.http import HttpRequest

from fullrecord.accounts.choices import Role


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    from fullrecord.notifications.services import unread_count

    return {
        "nav_unread": unread_count(user),
        "nav_is_admin": user.is_staff or user.has_role(Role.ADMIN),
        # Retention: the due-for-deletion page for those who approve or inspect, the holds
        # page for section heads, who place holds.
        "nav_retention": "retention:due"
        if user.has_role(Role.ARCHIVIST, Role.LEADER, Role.INSPECTOR)
        else "retention:holds"
        if user.has_role(Role.SECTION_HEAD)
        else "",
    }

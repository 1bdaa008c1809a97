"""``fullrecord compliance``: the application-layer controls of GB/T 22239-2019 (等保 2.0)
level 3 and GB/T 39786-2021 (密评) level 3 that software can meet, each judged on the
running configuration and data — pass, fail or not applicable — with the evidence.

Like Django's ``check --deploy``, for 等保. Every control can both pass and fail: its
test (named in ``test``) turns the setting off and sees it fail. Controls that only the
bureau's organisation, network or machine room can meet are not listed here; they are
in docs/compliance.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fullrecord.accounts.choices import Role

from . import keys
from .models import DigestStatus, OriginalDigest, SecurityPolicy, SM2TreeHead, SM3TokenDevice
from .roles import ADMIN_ROLES

PASS, FAIL, NOT_APPLICABLE = "pass", "fail", "n/a"
RESULT_LABELS = {
    PASS: gettext_lazy("pass"),
    FAIL: gettext_lazy("fail"),
    NOT_APPLICABLE: gettext_lazy("not applicable"),
}


@dataclass(frozen=True)
class Control:
    code: str
    standard: str
    clause: str
    title: str
    judge: Callable[[], tuple[str, str]]
    test: str


@dataclass(frozen=True)
class Result:
    control: Control
    result: str
    evidence: str

    @property
    def label(self) -> str:
        return str(RESULT_LABELS[self.result])


CONTROLS: list[Control] = []


def control(code: str, standard: str, clause: str, title, test: str):
    def register(judge):
        CONTROLS.append(Control(code, standard, clause, title, judge, test))
        return judge

    return register


def run() -> list[Result]:
    results = []
    for item in CONTROLS:
        result, evidence = item.judge()
        results.append(Result(item, result, evidence))
    return results


G = "GB/T 22239-2019"
M = "GB/T 39786-2021"
T = "security/tests/test_the_self_check_fails_when_a_control_is_turned_off.py"


def _users():
    return get_user_model().objects.filter(is_active=True)


@control("EP-1", G, "8.1.4.1 a", gettext_lazy("Password complexity and periodic change"), T)
def _password_policy():
    policy = SecurityPolicy.current()
    evidence = _(
        "at least %(length)d characters, %(classes)d kinds, history %(history)d, "
        "expires after %(days)d days"
    ) % {
        "length": policy.password_min_length,
        "classes": policy.password_min_classes,
        "history": policy.password_history,
        "days": policy.password_max_age_days,
    }
    ok = (
        policy.password_min_length >= 8
        and policy.password_min_classes >= 3
        and policy.password_history >= 1
        and 0 < policy.password_max_age_days <= 90
    )
    return (PASS if ok else FAIL), evidence


@control("EP-2", G, "8.1.4.1 b", gettext_lazy("Sign-in failures locked, idle sessions ended"), T)
def _failures_and_timeout():
    policy = SecurityPolicy.current()
    evidence = _(
        "lock after %(failures)d failures for %(minutes)d minutes; idle sign-out after "
        "%(idle)d minutes"
    ) % {
        "failures": settings.FULLRECORD_LOGIN_MAX_FAILURES,
        "minutes": settings.FULLRECORD_LOCKOUT_MINUTES,
        "idle": policy.idle_timeout_minutes,
    }
    ok = (
        settings.AXES_ENABLED
        and settings.FULLRECORD_LOGIN_MAX_FAILURES <= 10
        and policy.idle_timeout_minutes <= 30
    )
    return (PASS if ok else FAIL), evidence


@control("EP-3", G, "8.1.4.1 c", gettext_lazy("Remote administration over an encrypted channel"), T)
def _https():
    on = (
        settings.SECURE_SSL_REDIRECT
        and settings.SESSION_COOKIE_SECURE
        and settings.CSRF_COOKIE_SECURE
        and settings.SECURE_HSTS_SECONDS > 0
    )
    if on:
        return PASS, _("HTTPS only: redirect, HSTS %(seconds)d s, Secure cookies") % {
            "seconds": settings.SECURE_HSTS_SECONDS
        }
    return FAIL, _("served over plain HTTP: set FULLRECORD_HTTPS=true behind the TLS proxy")


@control("EP-4", G, "8.1.4.1 d", gettext_lazy("Two factors for administrators"), T)
def _two_factor():
    policy = SecurityPolicy.current()
    needed = {*ADMIN_ROLES, Role.LEADER}
    if policy.two_factor_everyone or needed <= set(policy.two_factor_roles):
        roles = (
            _("every account")
            if policy.two_factor_everyone
            else "、".join(str(Role(r).label) for r in policy.two_factor_roles)
        )
        return PASS, _("password and one-time code required for: %(roles)s") % {"roles": roles}
    missing = "、".join(str(Role(r).label) for r in needed - set(policy.two_factor_roles))
    return FAIL, _("no one-time code required for: %(roles)s") % {"roles": missing}


@control(
    "EP-5", G, "8.1.4.2 d", gettext_lazy("Separated system, security and audit administrators"), T
)
def _three_admins():
    from fullrecord.accounts.models import RoleGrant

    problems = []
    superusers = list(_users().filter(is_superuser=True).values_list("username", flat=True))
    if superusers:
        problems.append(_("superuser accounts: %(names)s") % {"names": ", ".join(superusers)})
    for role in ADMIN_ROLES:
        if not RoleGrant.objects.filter(role=role, user__is_active=True).exists():
            problems.append(_("nobody holds %(role)s") % {"role": Role(role).label})
    held: dict[int, set] = {}
    for user_id, role in RoleGrant.objects.filter(role__in=ADMIN_ROLES).values_list(
        "user_id", "role"
    ):
        held.setdefault(user_id, set()).add(role)
    doubled = [uid for uid, roles in held.items() if len(roles) > 1]
    if doubled:
        problems.append(
            _("%(count)d accounts hold two administrator roles") % {"count": len(doubled)}
        )
    if problems:
        return FAIL, "; ".join(problems)
    return PASS, _("three administrator roles held by different accounts, no superuser")


@control("EP-6", G, "8.1.4.3 a-c", gettext_lazy("Audit log protected and kept off the machine"), T)
def _audit_protected():
    installed = _triggers()
    sinks = settings.FULLRECORD_AUDIT_HEAD_SINKS
    if not installed:
        return FAIL, _("the database guards that refuse changing audit entries are missing")
    if not sinks:
        return FAIL, _(
            "append-only and hash-chained, but signed heads never leave this machine "
            "(FULLRECORD_AUDIT_HEAD_SINKS)"
        )
    return PASS, _("append-only, hash-chained, signed heads sent to %(sinks)s") % {
        "sinks": ", ".join(sinks)
    }


def _triggers() -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'audit_auditentry'"
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.relname = 'audit_auditentry' AND NOT t.tgisinternal"
            )
        return cursor.fetchone()[0] > 0


REFUSALS_MIDDLEWARE = "fullrecord.security.middleware.RefusedRequestMiddleware"
AUTHENTICATION_MIDDLEWARE = "django.contrib.auth.middleware.AuthenticationMiddleware"


@control(
    "EP-8",
    G,
    "8.1.4.3 a-b",
    gettext_lazy("Failed and refused actions recorded as well as successful ones"),
    "security/tests/test_refused_requests_are_recorded.py",
)
def _refusals_audited():
    """Failed sign-ins are recorded by the sign-in itself; a refused request only when the
    middleware is in the chain the server runs (settings.MIDDLEWARE)."""
    from fullrecord.audit.labels import ACTION_LABELS
    from fullrecord.audit.models import AuditEntry

    chain = list(settings.MIDDLEWARE)
    if REFUSALS_MIDDLEWARE not in chain or "security.request_refused" not in ACTION_LABELS:
        return FAIL, _(
            "refused requests (403, API 401, records out of reach) leave no audit entry: "
            "%(middleware)s is not in MIDDLEWARE"
        ) % {"middleware": REFUSALS_MIDDLEWARE}
    if AUTHENTICATION_MIDDLEWARE in chain and chain.index(REFUSALS_MIDDLEWARE) < chain.index(
        AUTHENTICATION_MIDDLEWARE
    ):
        return FAIL, _(
            "%(middleware)s comes before %(auth)s in MIDDLEWARE: refused requests of "
            "signed-in users are recorded without the user"
        ) % {"middleware": REFUSALS_MIDDLEWARE, "auth": AUTHENTICATION_MIDDLEWARE}
    counts = {
        action: AuditEntry.objects.filter(action=action).count()
        for action in ("account.login_failed", "security.request_refused", "security.refused")
    }
    return PASS, _(
        "recorded so far: %(logins)d failed sign-ins, %(requests)d refused requests, "
        "%(changes)d refused administrator changes"
    ) % {
        "logins": counts["account.login_failed"],
        "requests": counts["security.request_refused"],
        "changes": counts["security.refused"],
    }


@control("EP-7", G, "8.1.4.8 / 8.1.4.11", gettext_lazy("Personal information encrypted at rest"), T)
def _personal_data():
    """Every sealed value of every model (``sealed.holders``), not the parties' alone: a
    draft quoting an address, a service address or a change's waiting value in plain
    text fails it as well."""
    from . import sealed

    fields = sealed.holders()
    counts = [(column, *column.counts()) for column in fields]
    total = sum(held for _column, held, _plain in counts)
    plain = [(column, unsealed) for column, _held, unsealed in counts if unsealed]
    if not total:
        return NOT_APPLICABLE, _("no personal data recorded yet")
    if plain:
        return FAIL, _("%(count)d values stored in plain text: %(where)s") % {
            "count": sum(n for _column, n in plain),
            "where": "; ".join(f"{c.title} ({c.label}) {n}" for c, n in plain),
        }
    return PASS, _("%(total)d values in %(fields)d fields sealed with SM4-GCM: %(names)s") % {
        "total": total,
        "fields": len(fields),
        "names": "、".join(str(c.title) for c in fields),
    }


@control("CM-1", M, "8.4 / 9.4 (1)", gettext_lazy("Identity authentication with SM algorithms"), T)
def _sm_authentication():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    policy = SecurityPolicy.current()
    users = [u for u in _users().prefetch_related("role_grants") if policy.needs_two_factor(u)]
    if not users:
        return NOT_APPLICABLE, _("no account has to sign in with a second factor")
    ids = [u.pk for u in users]
    sha1 = set(
        TOTPDevice.objects.filter(user_id__in=ids, confirmed=True).values_list("user_id", flat=True)
    )
    sm3 = set(
        SM3TokenDevice.objects.filter(user_id__in=ids, confirmed=True).values_list(
            "user_id", flat=True
        )
    )
    without = [u.username for u in users if u.pk not in sm3]
    if without:
        kinds = _(
            "of which %(count)d use a phone-app TOTP code (HMAC-SHA1, not an SM algorithm)"
        ) % {"count": len([u for u in users if u.pk in sha1 and u.pk not in sm3])}
        return FAIL, _("%(count)d accounts without an SM3 token: %(names)s; %(kinds)s") % {
            "count": len(without),
            "names": ", ".join(without[:10]),
            "kinds": kinds,
        }
    return PASS, _(
        "all %(count)d accounts that need a second factor use SM3 tokens (GM/T 0021)"
    ) % {"count": len(users)}


@control("CM-2", M, "8.4 / 9.4 (3)(4)", gettext_lazy("Integrity of important data with SM3"), T)
def _sm3_originals():
    from fullrecord.media.models import MediaItem

    total = MediaItem.objects.count()
    if not total:
        return NOT_APPLICABLE, _("no original stored yet")
    have = OriginalDigest.objects.filter(status=DigestStatus.INTACT).count()
    failed = OriginalDigest.objects.exclude(status=DigestStatus.INTACT).count()
    if failed or have < total:
        return FAIL, _(
            "%(have)d of %(total)d originals have an intact SM3 digest; %(failed)d failed"
        ) % {
            "have": have,
            "total": total,
            "failed": failed,
        }
    return PASS, _("all %(total)d originals have an intact SM3 digest") % {"total": total}


@control(
    "CM-3", M, "8.4 / 9.4 (6)", gettext_lazy("Non-repudiation: audit heads signed with SM2"), T
)
def _sm2_heads():
    from fullrecord.audit.models import SignedTreeHead

    from . import heads

    latest = list(SignedTreeHead.objects.order_by("-tree_size")[:20])
    if not latest:
        return NOT_APPLICABLE, _("no signed tree head yet")
    problems = heads.check(latest)
    if problems:
        return FAIL, "; ".join(problems[:3])
    count = SM2TreeHead.objects.count()
    return PASS, _("%(count)d heads SM2-signed; the latest 20 verified") % {"count": count}


@control(
    "CM-4",
    M,
    "8.4 / 9.4 (5); 8.6",
    gettext_lazy("Keys kept outside the database and its backups"),
    T,
)
def _keys_outside():
    problems = []
    for setting, default in (
        ("FULLRECORD_DATA_KEY_FILE", keys.DATA_KEY_DEFAULT),
        ("FULLRECORD_SM2_KEY_FILE", keys.SM2_KEY_DEFAULT),
    ):
        if keys.in_data_dir(setting, default):
            problems.append(_("%(setting)s: key in the data directory") % {"setting": setting})
    if problems:
        return FAIL, "; ".join(problems)
    return PASS, _("SM4 and SM2 keys in files outside the data directory")

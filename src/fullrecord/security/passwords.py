"""The password rules the security administrator sets (GB/T 22239-2019 8.1.4.1 a), as a
Django password validator, so every path that sets a password — our own-password page,
the admin's forms, ``changepassword`` — applies them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


class PolicyValidator:
    def validate(self, password: str, user=None) -> None:
        from .models import SecurityPolicy
        from .services import character_classes, reused

        policy = SecurityPolicy.current()
        errors = []
        if len(password) < policy.password_min_length:
            errors.append(
                _("The password must have at least %(count)d characters.")
                % {"count": policy.password_min_length}
            )
        if character_classes(password) < policy.password_min_classes:
            errors.append(
                _(
                    "The password must mix at least %(count)d kinds of character (lower-case "
                    "letters, capitals, digits, other characters)."
                )
                % {"count": policy.password_min_classes}
            )
        if user is not None and getattr(user, "pk", None) and reused(user, password, policy):
            errors.append(
                _("This password was used before; choose one not among the last %(count)d.")
                % {"count": policy.password_history}
            )
        if errors:
            raise ValidationError(errors)

    def password_changed(self, password: str, user=None) -> None:
        """Django calls this after a new password is saved: keep its hash and the date."""
        from .models import PasswordHistory, PasswordState

        if user is None or not user.pk:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        PasswordState.objects.update_or_create(
            user=user, defaults={"changed_at": timezone.now(), "must_change": False}
        )

    def get_help_text(self) -> str:
        from .models import SecurityPolicy

        policy = SecurityPolicy.current()
        return _(
            "At least %(length)d characters mixing %(classes)d kinds of character; not one of "
            "your last %(history)d passwords."
        ) % {
            "length": policy.password_min_length,
            "classes": policy.password_min_classes,
            "history": policy.password_history,
        }

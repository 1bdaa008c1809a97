"""``{% completeness_grid case %}``: the per-stage grid on the case page (第十一条)."""

from __future__ import annotations

from django import template

from fullrecord.cases import completeness

register = template.Library()


@register.inclusion_tag("cases/_completeness.html", takes_context=True)
def completeness_grid(context, case) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "case": case,
        "grid": completeness.grid(case),
        "can_except": user is not None and completeness.may_except(user, case),
        "csrf_token": context.get("csrf_token"),
    }

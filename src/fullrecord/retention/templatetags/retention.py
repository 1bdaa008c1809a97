from django import template

register = template.Library()


@register.inclusion_tag("retention/_item_card.html", takes_context=True)
def retention_card(context, item):
    """The record's keep-until date and why, and its holds (on the record's page)."""
    from fullrecord.retention.views import item_context

    return item_context(context["request"].user, item)


@register.inclusion_tag("retention/_case_card.html", takes_context=True)
def retention_case_card(context, case):
    """Holds on the case, and the archivist's button to put the case file on disc."""
    from fullrecord.retention import access, services
    from fullrecord.retention.models import Hold

    user = context["request"].user
    return {
        "case": case,
        "holds": Hold.objects.filter(case=case, state__in=services.IN_FORCE),
        "may_hold": services.can_place_hold(user),
        "may_export": access.can_export(user),
    }

from django import template

register = template.Library()


@register.inclusion_tag("retention/_item_card.html", takes_context=True)
def retention_card(context, item):
    """The record's keep-until date and why, and its holds (on the record's page)."""
    from fullrecord.retention.views import item_context

    return item_context(context["request"].user, item)

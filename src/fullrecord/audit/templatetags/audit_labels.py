from django import template

from fullrecord.audit.labels import action_label as label

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    """``{{ entry.action|action_label }}``: the action's name in the user's language."""
    return label(code)


@register.filter
def detail_rows(data: dict) -> list[tuple[str, str]]:
    """``{% for label, text in entry.data|detail_rows %}``: labelled, readable details."""
    from fullrecord.audit.labels import field_label, readable

    return [(field_label(key), readable(value)) for key, value in (data or {}).items()]

from django import template

from fullrecord.audit.labels import action_label as label

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    """``{{ entry.action|action_label }}``: the action's name in the user's language."""
    return label(code)

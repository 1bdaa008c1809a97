from django import template

from fullrecord.security.sm3 import sm3_of_original

register = template.Library()


@register.simple_tag
def sm3_of(sha256: str) -> str:
    """The SM3 digest shown beside the SHA-256 (密评), or "" while the worker has not
    computed it yet."""
    return sm3_of_original(sha256) or ""

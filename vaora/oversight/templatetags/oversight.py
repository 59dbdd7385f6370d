from django import template

from vaora.oversight.stats import shown, suppress

register = template.Library()


@register.filter
def counted(value) -> str:
    """A count as pages show it: 1–4 suppressed as "<5"."""
    return shown(suppress(value))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None

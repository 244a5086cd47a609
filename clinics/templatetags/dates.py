from django import template

from clinics.dates import long_date as long_date_text

register = template.Library()


@register.filter(expects_localtime=True)
def long_date(value):
    """A date for a sentence: "14 December 2026", "14 de diciembre de 2026"."""
    return long_date_text(value)

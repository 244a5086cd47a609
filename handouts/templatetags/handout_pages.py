"""The running footer of a printed page, in the page's margin.

The footer is set in the @page margin boxes rather than as a running element: a
running element is laid out again on every page, and was a tenth of a handout's
render.
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def css_string(text: str) -> str:
    """`text` as a quoted CSS string: quotes, backslashes and line ends escaped, and
    nothing that could close the <style> element."""
    escaped = "".join(
        f"\\{ord(char):x} " if char in '"\\<>\n\r\f' or ord(char) < 32 else char for char in text
    )
    return f'"{escaped}"'


# A part of the footer this short always fits on one line, even in large print: it is
# kept whole, so a footer too long for one line breaks between its parts, never inside
# a phone number or a name.
WHOLE_PART = 40
NO_BREAK_SPACE = "\N{NO-BREAK SPACE}"


def footer_line(parts: tuple[str, ...]) -> str:
    return " · ".join(
        part.replace(" ", NO_BREAK_SPACE) if len(part) <= WHOLE_PART else part
        for part in (str(part).strip() for part in parts)
        if part
    )


@register.simple_tag
def page_footer(*parts: str) -> str:
    """A <style> element putting `parts` at the bottom left of every page, separated
    by " · ", and "Page N of M" at the bottom right."""
    who = footer_line(parts)
    before, _sep, rest = _("Page {page} of {pages}").partition("{page}")
    middle, _sep, after = rest.partition("{pages}")
    right = " ".join(
        part
        for part in (
            css_string(before) if before else "",
            "counter(page)",
            css_string(middle) if middle else "",
            "counter(pages)",
            css_string(after) if after else "",
        )
        if part
    )
    # Safe: css_string escapes everything that could end the string or the element.
    return mark_safe(  # noqa: S308
        f"<style>@page {{ @bottom-left {{ content: {css_string(who)}; }} "
        f"@bottom-right {{ content: {right}; }} }}</style>"
    )

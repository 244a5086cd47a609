"""What a page shows: its HTML without the parts no reader sees until a script uses
them (the offline portal's <template> copies of the stop and urgent advice, and the
safety rules' tables it carries as JSON)."""

import re

HIDDEN = re.compile(
    r"<template\b.*?</template>"
    r'|<script id="offline-rules" type="application/json">.*?</script>'
    r'|<div class="offline" data-offline hidden[^>]*></div>',
    re.S,
)


def shown(page: str) -> str:
    return HIDDEN.sub("", page)

"""Reading a rendered page the way a browser shows it."""

import re


def checked(content: str, name: str) -> list[str]:
    """The values of the radio buttons named `name` that the page shows as chosen."""
    inputs = re.findall(rf'<input type="radio" name="{name}"[^>]*>', content)
    return [re.search(r'value="([^"]*)"', tag).group(1) for tag in inputs if " checked" in tag]

"""``python -m wikiplain``."""

from .cli import entry

entry()

"""The terminal: rich consoles for output and for messages, so pipes get plain text."""

from __future__ import annotations

from rich.console import Console

# No emoji codes: `scenario.yaml:100:` must not print as a picture of "100".
out = Console(highlight=False, soft_wrap=True, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)

# Exit codes: 0 fine, 1 the command could not do its job, 2 bad input (a scenario, a save, an option).
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2

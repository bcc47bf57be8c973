"""The terminal: rich consoles for output and for messages, so pipes get plain text."""

from __future__ import annotations

from rich.console import Console
from rich.errors import LiveError
from rich.progress import BarColumn, Progress, TaskID, TaskProgressColumn, TimeElapsedColumn

# No emoji codes: `scenario.yaml:100:` must not print as a picture of "100".
out = Console(highlight=False, soft_wrap=True, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)

# Exit codes: 0 fine, 1 the command could not do its job, 2 bad input (a scenario, a save, an option).
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


class CompileBar:
    """On a terminal, the first compile's progress: a bar under the line that says what the wait is for, gone once
    the compile is done (a teller for `jit.when_compiling`)."""

    def __init__(self) -> None:
        self.bar: Progress | None = None
        self.task = TaskID(0)

    def __call__(self, done: float) -> None:
        if done <= 0.0 or (self.bar is None and done >= 1.0):
            return  # the wait has begun (the line says so; the bar comes with the first work done), or it is over
        if self.bar is None:
            bar = Progress(BarColumn(), TaskProgressColumn(), TimeElapsedColumn(), console=err, transient=True)
            self.task = bar.add_task("compiling", total=1.0)
            try:
                bar.start()
            except LiveError:  # another display holds the terminal: the line alone will do
                return
            self.bar = bar
        self.bar.update(self.task, completed=done, refresh=True)  # the compile holds the interpreter: no redraws
        if done >= 1.0:
            self.bar.stop()
            self.bar = None

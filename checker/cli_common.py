"""What the newscheck commands share: option choices, the error boundary, progress bars on stderr."""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable
from typing import Any, Literal

import typer
from typer.core import TyperGroup

from checker.backends import BACKENDS
from checker.errors import NewscheckError
from checker.types import VERDICTS

#: exit code of `newscheck audit --fail-on-contradiction` when a contradiction is found
EXIT_CONTRADICTION = 3
#: exit code of bad input, usage errors included
EXIT_BAD_INPUT = 2

BACKEND_HELP = (
    "NLI inference: 'auto' uses a validated ONNX build made by `newscheck export-onnx` "
    "if there is one, else PyTorch; 'torch' forces PyTorch fp32; 'onnx'/'onnx-int8' force a build."
)


def choices(values: Iterable[str]) -> str:
    """The metavar of an option whose value is one of ``values``: ``[a|b|c]``."""
    return "[" + "|".join(values) + "]"


#: an NLI backend (:data:`checker.backends.BACKENDS`; a test keeps the two equal)
BackendName = Literal["auto", "torch", "onnx", "onnx-int8"]
#: the NLI backend of every command that runs the model when none is given
DEFAULT_BACKEND: BackendName = "auto"
# the option choices of the vocabularies (the Literals of checker.types), shown in --help
BACKEND_METAVAR = choices(BACKENDS)
VERDICT_METAVAR = choices(VERDICTS)


# typer may bundle its own copy of click: take the exception classes from the one it uses
_click_exceptions = sys.modules[typer.BadParameter.__module__]
_UsageError: type[Exception] = _click_exceptions.UsageError
_HelpInstead: tuple[type[Exception], ...] = tuple(
    c for c in (getattr(_click_exceptions, "NoArgsIsHelpError", None),) if c is not None
)


class _UsageLine(_click_exceptions.ClickException):  # type: ignore[name-defined,misc]
    """A usage error shown as one line, like every other newscheck error."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, error: Any):
        super().__init__(error.format_message())
        self.command = error.ctx.command_path if getattr(error, "ctx", None) is not None else "newscheck"

    def show(self, file: Any = None) -> None:
        typer.echo(f"newscheck: error: {self.message} (see `{self.command} --help`)", err=True)


class OneLineErrors(TyperGroup):
    """The command group: an unknown option, a bad choice or a missing argument is one line on
    stderr and exit 2 (click would print the usage block first)."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except _HelpInstead:
            raise
        except _UsageError as exc:
            raise _UsageLine(exc) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except _HelpInstead:
            raise
        except _UsageError as exc:
            raise _UsageLine(exc) from None


def stderr_console(quiet: bool = False):
    from rich.console import Console

    return Console(stderr=True, quiet=quiet)


def cli_errors(fn):
    """Turn library errors into one line on stderr and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except NewscheckError as exc:
            typer.echo(f"newscheck: error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("newscheck: interrupted", err=True)
            raise typer.Exit(130) from None

    return wrapper


class RichProgress:
    """Progress bars on stderr for the pipeline's stages (nothing in quiet mode)."""

    def __init__(self, console, enabled: bool):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.enabled = enabled
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not enabled,
        )
        self.task: Any = None

    def __enter__(self):
        self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        return self.bar.__exit__(*exc)

    def stage(self, name: str, total: int | None = None) -> None:
        if self.task is not None:
            self.bar.update(self.task, visible=False)
        self.task = self.bar.add_task(name, total=total)

    def advance(self, n: int = 1) -> None:
        if self.task is not None:
            self.bar.advance(self.task, n)

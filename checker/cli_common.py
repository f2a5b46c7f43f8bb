"""What the newscheck commands share: option choices, the error boundary, progress bars on stderr."""

from __future__ import annotations

import functools
from enum import Enum
from typing import Any

import typer

from checker.errors import NewscheckError

#: exit code of `newscheck audit --fail-on-contradiction` when a contradiction is found
EXIT_CONTRADICTION = 3


class BackendChoice(str, Enum):
    auto = "auto"
    torch = "torch"
    onnx = "onnx"
    onnx_int8 = "onnx-int8"


BACKEND_HELP = (
    "NLI inference: 'auto' uses a validated ONNX build made by `newscheck export-onnx` "
    "if there is one, else PyTorch; 'torch' forces PyTorch fp32; 'onnx'/'onnx-int8' force a build."
)


class VerdictChoice(str, Enum):
    contradiction = "contradiction"
    agree = "agree"
    a_adds = "a_adds"
    b_adds = "b_adds"
    neutral = "neutral"


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

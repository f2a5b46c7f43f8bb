"""Errors newscheck raises on bad input; the CLI prints each as one line and exits non-zero."""


class NewscheckError(Exception):
    """Base class: a problem with what the user gave, not a bug."""

    exit_code = 2


class InputError(NewscheckError):
    """A missing, empty or unreadable corpus, file or report."""


class ModelError(NewscheckError):
    """A model path that does not exist, holds no model, or has the wrong labels."""


class LabeledDataError(NewscheckError):
    """A labeled evaluation file with no usable rows or an unknown label scheme."""


class StoreError(InputError):
    """A store that does not exist, is damaged, or cannot be read or written."""

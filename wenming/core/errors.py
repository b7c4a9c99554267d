"""Errors raised by services; views turn them into field or page messages."""


class ApplicationError(Exception):
    """A business rule refused the action. ``message`` is shown to the user (Chinese)."""

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        message = str(message)  # a lazy translation is resolved in the language of the request
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class TransitionNotAllowed(ApplicationError):
    """The workflow has no such transition from the object's current state."""

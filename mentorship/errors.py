"""Domain errors: their message is written for the user, in Russian."""


class DomainError(Exception):
    """A rule of the domain refused an operation; `message` is shown to the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class DuplicateSubmission(DomainError):
    """The same form was posted twice."""

    def __init__(self) -> None:
        super().__init__("Эта форма уже была отправлена; повторная отправка ничего не изменила.")

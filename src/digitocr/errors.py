"""Errors a user can act on. The CLI prints them as one line and exits 2; no traceback."""


class DigitocrError(Exception):
    """Base for errors caused by the user's input, not by a fault of ours."""


class DataError(DigitocrError):
    """A data file is missing, broken, or not what it claims to be. The message names the file."""

    def __init__(self, path: object, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

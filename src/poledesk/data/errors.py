"""The one root of PoleDesk's expected errors, and its families: each carries a French message ready to show.

An expected error means "nothing was written, here is why": the UI shows it in one place (a message box, or
beside the field for a ValidationError), the CLI prints it in one place (`Erreur : …` on stderr, no traceback)
and exits with the family's `exit_code`. Anything that is not a PoleDeskError is a bug: the crash dialog and
the log file get it.

    PoleDeskError                  exit 1: the request failed (a bad id, a document that cannot be made)
    ├── ValidationError            a form's problems, field by field
    ├── InvalidValue               one value's problem, before it joins a form's ValidationError
    ├── Cancelled                  the user cancelled a long task; its transaction rolled back
    ├── StoreError                 exit 2: the store cannot be opened or used as asked
    │   └── IdentityError          exit 2: the data folder's set-up is refused
    ├── SpreadsheetError           exit 2: a spreadsheet cannot be read, imported or written
    ├── SyncError                  exit 2: a sync step refused (keys, cards, bundles), with a `reason` code
    ├── RulesError                 exit 2: the labour-law rules forbid it (a convention with blocking findings)
    ├── DocumentError              a PDF or list that cannot be made (articles file, no attendee…)
    ├── DuplicateWarning           a partner that looks like one already there; saving again keeps both
    └── AlreadyApplied             not a refusal: a bundle applied before, which would change nothing

Exit code 2 is the README's "demande refusée, rien n'a été modifié".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

EXIT_FAILED, EXIT_REFUSED = 1, 2


class PoleDeskError(Exception):
    """An expected error: `message` is French, for the user; nothing was written."""

    exit_code: ClassVar[int] = EXIT_FAILED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(PoleDeskError):
    """Every problem of a form, field -> French message; a service raises it and writes nothing."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__(" ; ".join(self.problems.values()))

    def __str__(self) -> str:
        # The field names help a developer reading a log or a test failure; `message` is what the user sees.
        return " ; ".join(f"{field} : {message}" for field, message in self.problems.items())


class InvalidValue(PoleDeskError, ValueError):
    """One value is wrong; `message` is French and ready to show beside the field."""


class Cancelled(PoleDeskError):
    """Raised by a progress callable once the user has cancelled; the service's transaction rolls back."""

    def __init__(self, message: str = "Opération annulée : rien n'a été modifié.") -> None:
        super().__init__(message)


class StoreError(PoleDeskError):
    """A store that cannot be opened or used; the message is French and meant for the user."""

    exit_code = EXIT_REFUSED


class IdentityError(StoreError):
    """Set-up refused (a folder already set up, a code in the wrong shape); the message is French."""


class SpreadsheetError(PoleDeskError):
    """A file that cannot be read or imported as asked; the message is French and meant for the user."""

    exit_code = EXIT_REFUSED


class SyncError(PoleDeskError):
    """A refused sync step: nothing was written; `reason` is a stable code (for tests and the UI)."""

    exit_code = EXIT_REFUSED

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class RulesError(PoleDeskError):
    """The labour-law rules forbid what was asked; the message lists why."""

    exit_code = EXIT_REFUSED


class DocumentError(PoleDeskError):
    """A document that cannot be made (an unusable articles file, no attendee, no session)."""


class DuplicateWarning(PoleDeskError):
    """A record that looks like one already there; the caller may ask again to keep both."""


class AlreadyApplied(PoleDeskError):
    """Not a refusal: what was asked was done before, and doing it again would change nothing."""

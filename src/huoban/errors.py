"""Domain errors that the API and the views turn into answers (ARCHITECTURE §6)."""

from __future__ import annotations


class DomainError(Exception):
    """Base for errors a caller can act on."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(DomainError):
    """Bad input: field → message (Chinese / English). Nothing was changed."""

    status = 422

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class Forbidden(DomainError):
    """The caller may see the thing but its role may not do this (403).

    Used only where existence is not secret (a collection, or an object the caller can see);
    objects the caller may not see answer 404 (R-VIS-4). ``huoban.access`` re-exports it.
    """

    status = 403


class NotFound(DomainError):
    """Unknown, or not visible to the caller (R-VIS-4: never 403)."""

    status = 404


class Conflict(DomainError):
    """The request conflicts with the current state (409)."""

    status = 409

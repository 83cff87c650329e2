"""The errors a user can cause, each with a message that names the file and the reason."""

from __future__ import annotations


class ReuseError(ValueError):
    """Base class: something about the input or the settings is wrong, and the message says what."""


class InputError(ReuseError):
    """A document could not be read: missing, a directory, undecodable, or otherwise unusable."""


class SettingsError(ReuseError):
    """A settings value is out of range or inconsistent with another."""


class IndexStoreError(ReuseError):
    """A reuse index cannot be used: missing, corrupt, not an index, other settings or schema, unreachable."""

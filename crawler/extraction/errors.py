"""The one exception extraction raises, so callers can report bad pages without tracebacks."""


class ExtractionError(ValueError):
    """The input cannot yield an article (empty, binary, undecodable, no text).

    The message is one human-readable line meant to be shown to the user as is.
    """

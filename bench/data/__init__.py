"""Open evaluation data kept in the repository (see ``SOURCES.md``)."""

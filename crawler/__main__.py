"""Allow ``python -m crawler`` as an alias of the ``newscrawl`` command."""

from crawler.cli import main

if __name__ == "__main__":
    main()

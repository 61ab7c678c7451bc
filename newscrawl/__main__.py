"""``python -m newscrawl``: the same as the ``newscrawl`` command."""

from .cli import main

main()

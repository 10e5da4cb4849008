"""``python -m dcplanner`` runs the command-line interface."""

from dcplanner.cli import main

main()

"""`python -m clausesmith`: the same as the `clausesmith` command."""

from clausesmith.cli import main

main()

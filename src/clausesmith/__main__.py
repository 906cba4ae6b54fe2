"""`python -m clausesmith`: the same as the `clausesmith` command."""

from clausesmith.cli.main import main

main()

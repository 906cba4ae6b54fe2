"""Shipped inside the package as clausesmith.bundled.clause_library (see pyproject.toml)."""

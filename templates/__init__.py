"""Shipped inside the package as clausesmith.bundled.templates (see pyproject.toml)."""

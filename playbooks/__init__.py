"""Shipped inside the package as clausesmith.bundled.playbooks (see pyproject.toml)."""

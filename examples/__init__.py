"""Shipped inside the package as clausesmith.bundled.examples: the reference deals that
`clausesmith lint` lays clause examples over (see pyproject.toml)."""

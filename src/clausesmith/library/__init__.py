"""library: see docs/architecture.md."""

"""batch: see docs/architecture.md."""

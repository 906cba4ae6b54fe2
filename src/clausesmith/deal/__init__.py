"""deal: see docs/architecture.md."""

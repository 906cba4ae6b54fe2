"""assemble: see docs/architecture.md."""

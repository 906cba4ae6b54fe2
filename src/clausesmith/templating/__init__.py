"""templating: see docs/architecture.md."""

"""docx: see docs/architecture.md."""

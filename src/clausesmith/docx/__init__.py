"""docx: see README, "Where things are"."""

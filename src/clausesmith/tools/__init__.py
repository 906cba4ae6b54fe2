"""tools: see README, "Where things are"."""

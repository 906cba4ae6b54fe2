"""plan: see README, "Where things are"."""

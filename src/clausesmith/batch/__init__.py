"""batch: see README, "Where things are"."""

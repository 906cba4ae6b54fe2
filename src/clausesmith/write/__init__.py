"""write: see README, "Where things are"."""

"""cli: see README, "Where things are"."""

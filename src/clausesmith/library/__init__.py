"""library: see README, "Where things are"."""

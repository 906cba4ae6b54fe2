"""assemble: see README, "Where things are"."""

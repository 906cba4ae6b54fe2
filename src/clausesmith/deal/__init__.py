"""deal: see README, "Where things are"."""

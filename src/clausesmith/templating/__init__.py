"""templating: see README, "Where things are"."""

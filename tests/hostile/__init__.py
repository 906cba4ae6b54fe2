"""The hostile-input corpus: Word files, templates, configs and symlink trees an attacker
controls, built at test time by the small generators here (nothing binary is committed)."""

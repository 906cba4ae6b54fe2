"""Clause library, playbooks and templates shipped with clausesmith."""

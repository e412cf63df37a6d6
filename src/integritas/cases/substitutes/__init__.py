"""Substitutes (seed 5.2): who takes over when a role holder is involved."""

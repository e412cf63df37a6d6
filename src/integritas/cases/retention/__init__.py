"""Retention (R-DP-2): how long a closed case is kept, and the purge."""

"""The risk analysis of vulnerable functions and its measures (seed 3.2.4)."""

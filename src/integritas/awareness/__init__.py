"""Trainings, attendance and the dilemma library (seed 2.1, 5.1)."""

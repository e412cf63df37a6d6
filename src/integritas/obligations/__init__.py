"""Onboarding and yearly duties per employee (seed 3.2.3, 3.2.5, 3.2.7, 5.1)."""

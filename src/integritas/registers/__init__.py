"""Nevenwerkzaamheden, financiële belangen, geschenken en belangenconflicten (seed 3.2.6, 3.2.8)."""

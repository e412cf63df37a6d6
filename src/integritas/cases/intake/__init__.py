"""The web intake of the Meldpunt: the form, the receipt code, the proof of receipt."""

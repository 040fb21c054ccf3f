"""Indicators of a pole, of several poles or of the académie, for a school year (DOMAIN.md, "Indicators")."""

"""Consultation sessions, themes and signals (built in the signals issue)."""

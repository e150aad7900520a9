"""Regioplannen: the yearly regional plan and its review (built in the regioplannen issue)."""

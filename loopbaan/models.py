"""Loopbaan FNV: availability, appointments, trajectories (built in the appointments issue)."""

"""Trajectories, plans of action, workshops and collective cases (built in the trajectories issue)."""

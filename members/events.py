"""Events between apps that must not import each other (see docs/architecture in the README).

`trajectory_referral_made` is sent by the appointments code (loopbaan) when a report refers a
member to an individual trajectory; the trajectories app receives it and puts the member in
the intake queue of their region. Arguments: member (Member), region (Region or None),
source (str, e.g. "appointment"), source_id (int), note (str).
"""

from django.dispatch import Signal

trajectory_referral_made = Signal()

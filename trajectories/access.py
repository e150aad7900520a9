"""Who may act on a trajectory, written once for the trajectories' services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.roles import Role
from members.models import User
from trajectories.models import Trajectory


def subject_of(trajectory: Trajectory) -> int | None:
    """The member whose data a trajectory is, for the audit trail (none for a participant)."""
    return trajectory.member_id


def require_adviser_of(user: User, trajectory: Trajectory) -> None:
    if not (user.role == Role.ADVISER and trajectory.adviser_id == user.pk):
        raise ValidationError(_("Alleen de trajectadviseur van dit traject kan dit doen."))

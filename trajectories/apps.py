from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrajectoriesConfig(AppConfig):
    name = "trajectories"
    verbose_name = _("Trajecten en Van Werk Naar Werk")

    def ready(self) -> None:
        from members.events import trajectory_referral_made
        from trajectories.receivers import on_trajectory_referral_made

        trajectory_referral_made.connect(
            on_trajectory_referral_made, dispatch_uid="trajectories.referral_to_intake"
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrajectoriesConfig(AppConfig):
    name = "trajectories"
    verbose_name = _("Trajecten en Van Werk Naar Werk")

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from members.events import trajectory_referral_made
        from members.models import Member
        from trajectories.receivers import on_person_deleted, on_trajectory_referral_made

        trajectory_referral_made.connect(
            on_trajectory_referral_made, dispatch_uid="trajectories.referral_to_intake"
        )
        for model in (Member, self.get_model("Participant")):
            pre_delete.connect(
                on_person_deleted, sender=model, dispatch_uid=f"trajectories.erase.{model.__name__}"
            )

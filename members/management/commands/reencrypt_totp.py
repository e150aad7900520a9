from allauth.mfa.models import Authenticator
from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from members.adapters import current_fernet, multi_fernet


class Command(BaseCommand):
    help = (
        "Versleutelt elk TOTP-geheim en elke herstelcode opnieuw met de huidige "
        "MFA_ENCRYPTION_KEY (oude sleutels uit MFA_ENCRYPTION_KEY_FALLBACKS). Twee keer "
        "draaien kan geen kwaad. Daarna kan de oude sleutel uit de fallbacks."
    )

    def handle(self, *args, **options):
        current, every_key = current_fernet(), multi_fernet()
        counts = {"reencrypted": 0, "current": 0, "unreadable": 0}
        unreadable_users: list[int] = []

        def rewrite(token: str) -> tuple[str, str]:
            try:
                current.decrypt(token.encode())
                return token, "current"
            except InvalidToken:
                pass
            try:
                return every_key.rotate(token.encode()).decode(), "reencrypted"
            except InvalidToken:
                return token, "unreadable"

        with transaction.atomic():
            authenticators = Authenticator.objects.select_for_update().filter(
                type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
            )
            for authenticator in authenticators.order_by("pk"):
                data = dict(authenticator.data)
                outcomes = set()
                for field in ("secret", "seed"):
                    if isinstance(data.get(field), str):
                        data[field], outcome = rewrite(data[field])
                        outcomes.add(outcome)
                if isinstance(data.get("migrated_codes"), list):
                    rewritten = [rewrite(code) for code in data["migrated_codes"]]
                    data["migrated_codes"] = [token for token, _ in rewritten]
                    outcomes |= {outcome for _, outcome in rewritten}
                if "unreadable" in outcomes:
                    counts["unreadable"] += 1
                    unreadable_users.append(authenticator.user_id)
                elif "reencrypted" in outcomes:
                    authenticator.data = data
                    authenticator.save(update_fields=["data"])
                    counts["reencrypted"] += 1
                else:
                    counts["current"] += 1

        self.stdout.write(
            f"Opnieuw versleuteld: {counts['reencrypted']}; al met de huidige sleutel: "
            f"{counts['current']}; onleesbaar: {counts['unreadable']}."
        )
        if unreadable_users:
            raise CommandError(
                "Geen sleutel past op de tweede factor van gebruiker(s) "
                + ", ".join(str(pk) for pk in sorted(set(unreadable_users)))
                + ". Zet de oude sleutel in MFA_ENCRYPTION_KEY_FALLBACKS, of stel hun tweede "
                "factor opnieuw in (beheer: 'Tweede factor opnieuw instellen')."
            )

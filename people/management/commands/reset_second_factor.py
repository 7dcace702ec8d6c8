"""Recovery when nobody who could reset it in the admin can sign in (docs/deploy.md)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from people.second_factor import devices


class Command(BaseCommand):
    help = (
        "Take away a user's authenticator app and backup codes, so they can set up "
        "a new app at their next sign-in. Logged in the security log."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f'There is no user "{username}".') from None
        if devices.reset(user, detail="By the reset_second_factor command on the server"):
            self.stdout.write(
                f"Reset two-factor sign-in of {username}: they set up a new app the next "
                "time they sign in."
            )
        else:
            self.stdout.write(f"{username} has no two-factor sign-in: nothing to reset.")

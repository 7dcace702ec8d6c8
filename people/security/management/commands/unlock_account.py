"""`manage.py unlock_account amal [more names] [--address 203.0.113.7]`: lift sign-in lockouts."""

from django.core.management.base import BaseCommand, CommandError

from people.security.lockout import unlock


class Command(BaseCommand):
    help = (
        "Forget the failed sign-ins of the given usernames (and, with --address, of "
        "an address), so that they can sign in again at once. Logged in the security log."
    )

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="*", metavar="username")
        parser.add_argument(
            "--address",
            action="append",
            default=[],
            help="An IP address to unlock too (may be given more than once).",
        )

    def handle(self, *args, usernames, address, **options):
        if not usernames and not address:
            raise CommandError("Name a username to unlock, or an address with --address.")
        for name in usernames:
            self._report(name, unlock(username=name))
        for ip_address in address:
            self._report(ip_address, unlock(ip_address=ip_address))

    def _report(self, what, cleared):
        if cleared:
            self.stdout.write(f"{what}: unlocked ({cleared} failed-sign-in record(s) cleared).")
        else:
            self.stdout.write(f"{what}: nothing to unlock (no recent failed sign-ins).")

"""Everything that changes a person's second factor, and the rule of who must have one.

A person has at most one authenticator app (a confirmed `TOTPDevice`) and one
set of backup codes (a `StaticDevice` with up to ten `StaticToken`s); the two
are made together at enrolment and removed together. Each change is written
to the security log here, so no page or command can forget to.
"""

import time
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass

import django_otp
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from people.security.events import Kind, record

EDITORS = "Editors"
BACKUP_CODE_COUNT = 10
APP_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"


class CodeRefused(Exception):
    """A code that did not sign in or confirm anything; the message is for the person."""


_WRONG = "That code is not right, or has been used already. Try the code your app shows now."


def is_required(user) -> bool:
    """Whether `user` may use the admin only with a second factor.

    Superusers and editors, when `NEWSROOM_REQUIRE_2FA` is on; journalists
    may choose to enrol, and once they have, they are asked for a code too.
    """
    if not getattr(settings, "NEWSROOM_REQUIRE_2FA", False):
        return False
    return user.is_superuser or user.groups.filter(name=EDITORS).exists()


def has_second_factor(user) -> bool:
    """Whether `user` has enrolled (an app confirmed with a code)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


# --- Enrolment -------------------------------------------------------------------


@dataclass(frozen=True)
class Enrolment:
    """A secret offered to a person's app, not yet confirmed: nothing is stored for it."""

    user: object
    key: str  # hex, as TOTPDevice stores it

    @classmethod
    def start(cls, user, key: str | None = None) -> "Enrolment":
        return cls(user=user, key=key or random_hex(20))

    @property
    def secret(self) -> str:
        """The secret as a person types it into an app: base32, in groups of four."""
        text = b32encode(unhexlify(self.key)).decode().rstrip("=")
        return " ".join(text[i : i + 4] for i in range(0, len(text), 4))

    @property
    def setup_url(self) -> str:
        """The otpauth:// address the QR code carries (issuer: the publication)."""
        return TOTPDevice(user=self.user, key=self.key).config_url


def enrol(enrolment: Enrolment, code: str, *, request) -> list[str]:
    """Confirm `enrolment` with a code from the app; return the new backup codes.

    The app and the codes are stored only now, the session counts as verified,
    and the log says a second factor was added. A wrong code raises
    `CodeRefused` and stores nothing.
    """
    user, code = enrolment.user, _normalised(code)
    totp = TOTP(unhexlify(enrolment.key))
    totp.time = time.time()
    if not _is_numeric_code(code) or not totp.verify(int(code), tolerance=1):
        raise CodeRefused(
            "That code did not match. Check the time on your phone is right and "
            "type the code your app shows now."
        )
    if has_second_factor(user):
        raise CodeRefused("You already have two-factor sign-in. Remove it first to start again.")
    with transaction.atomic():
        _delete_devices(user)
        # last_t: the code just typed cannot be used again to sign in.
        device = TOTPDevice.objects.create(
            user=user,
            name=APP_NAME,
            key=enrolment.key,
            confirmed=True,
            last_t=totp.t(),
            drift=totp.drift,
        )
        codes = _replace_backup_codes(user)
        record(Kind.SECOND_FACTOR_ADDED, user=user, request=request, detail=APP_NAME)
    django_otp.login(request, device)
    return codes


# --- Signing in ----------------------------------------------------------------


def verify(request, code: str):
    """Accept a code from the app, or a backup code once, for `request.user`.

    The session then counts as verified until sign-out. Wrong codes slow the
    next try down (django-otp's throttling: 1, 2, 4 … seconds) and are logged
    as failed sign-ins: whoever typed them had the password.
    """
    user = request.user
    device = _device_for(user, code)
    if device is not None:
        allowed, why = device.verify_is_allowed()
        if not allowed:
            _log_failure(request)
            wait = max(1, int((why["locked_until"] - timezone.now()).total_seconds()) + 1)
            raise CodeRefused(
                f"Too many wrong codes. Wait {wait} second{'s' if wait != 1 else ''} and try again."
            )
        if verified := django_otp.verify_token(user, device.persistent_id, _normalised(code)):
            django_otp.login(request, verified)
            return verified
    _log_failure(request)
    raise CodeRefused(_WRONG)


def _log_failure(request):
    record(Kind.SIGN_IN_FAILED, user=request.user, request=request, detail="Wrong two-factor code")


def is_backup_code(device) -> bool:
    return isinstance(device, StaticDevice)


def _device_for(user, code):
    """The one device a code is for: six digits are the app's, anything else a backup code.

    Trying every device would count one person's single typo as a failure on
    each and slow down the right code afterwards.
    """
    model = TOTPDevice if _is_numeric_code(code) else StaticDevice
    return model.objects.filter(user=user, confirmed=True).first()


# --- Backup codes, removing and resetting ------------------------------------------


def new_backup_codes(request, code: str) -> list[str]:
    """Replace `request.user`'s backup codes, after a current code proves it is them."""
    verify(request, code)
    with transaction.atomic():
        codes = _replace_backup_codes(request.user)
        record(
            Kind.SECOND_FACTOR_ADDED,
            user=request.user,
            request=request,
            detail="New backup codes; the old ones no longer work",
        )
    return codes


def remove(request, code: str) -> None:
    """Take away `request.user`'s own app and backup codes, after a current code."""
    verify(request, code)
    with transaction.atomic():
        _delete_devices(request.user)
        record(Kind.SECOND_FACTOR_REMOVED, user=request.user, request=request)


def reset(user, *, by=None, request=None, detail: str = "") -> bool:
    """Take away `user`'s app and backup codes for them (an admin, or the recovery command).

    Their next visit to the admin asks them to enrol again when it is required
    of them. Returns whether there was anything to take away; only then is it logged.
    """
    with transaction.atomic():
        had = _delete_devices(user)
        if had:
            record(Kind.SECOND_FACTOR_RESET, user=user, by=by, request=request, detail=detail)
    return had


def _replace_backup_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_CODES_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _delete_devices(user) -> bool:
    deleted = 0
    for model in (TOTPDevice, StaticDevice):
        deleted += model.objects.filter(user=user).delete()[0]
    return bool(deleted)


def _normalised(code: str) -> str:
    # People copy codes with spaces, or type capitals from a printout.
    return "".join(code.split()).replace("-", "").lower()


def _is_numeric_code(code: str) -> bool:
    # Backup codes are eight letters and digits, so never six digits.
    code = _normalised(code)
    return code.isdigit() and len(code) == 6

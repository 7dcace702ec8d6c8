"""Two-factor sign-in for the admin: an authenticator app (TOTP) and backup codes.

Built on django-otp: its TOTP device (`otp_totp`) holds the app's secret and its
static device (`otp_static`) the ten one-time backup codes. `devices.py` owns
every change to them (enrol, verify, new codes, remove, reset) and logs each
one in the security log; `middleware.py` keeps an unverified user out of the
admin; `views.py` holds the admin pages a person enrols and signs in with.
"""

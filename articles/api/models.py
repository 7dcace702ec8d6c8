import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

# Shown at the start of every key, so a key pasted in the wrong place is
# recognisable (and secret scanners can look for it).
KEY_PREFIX = "nrk_"


def hash_key(raw: str) -> str:
    """The stored form of a key: SHA-256 is enough for 32 random bytes (no
    dictionary to guess from), and lets a request's key be found by index."""
    return hashlib.sha256(raw.encode()).hexdigest()


class PartnerKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def matching(self, raw: str):
        """The active key `raw` is, if any (a queryset of at most one)."""
        return self.active().filter(key_hash=hash_key(raw))


class PartnerKey(models.Model):
    """A partner's API key: higher request limits, never more content.

    Only the key's hash is stored; the key itself is shown once, when the key
    is created (the admin's message), and cannot be read back.
    """

    name = models.CharField(
        max_length=100, help_text="Who the key is for, e.g. “Aggregator Ltd, newsletter team”."
    )
    prefix = models.CharField(
        max_length=12, editable=False, help_text="The key's first characters, to tell keys apart."
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(
        "active", default=True, help_text="Untick to stop the key working at once."
    )
    notes = models.TextField(blank=True, help_text="Contact, contract, what they use it for.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = PartnerKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "partner API key"
        verbose_name_plural = "partner API keys"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def get_absolute_url(self):
        return reverse("admin:api_partnerkey_change", args=[self.pk])

    def new_secret(self) -> str:
        """Give the key a fresh secret and return it: the only time it can be read."""
        raw = KEY_PREFIX + secrets.token_urlsafe(32)
        self.prefix = raw[: len(KEY_PREFIX) + 6]
        self.key_hash = hash_key(raw)
        return raw

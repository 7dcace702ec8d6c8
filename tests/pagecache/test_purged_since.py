"""`PurgedKey.objects.purged_since`: the freshness check every kept piece runs on each view."""

from datetime import timedelta

import pytest
from django.utils import timezone

from newsroom.pagecache.models import PurgedKey
from newsroom.pagecache.purge import purge

pytestmark = pytest.mark.django_db


def test_a_key_purged_since_is_named_with_the_moment_of_its_purge():
    before = timezone.now()
    purge(["story-7"])

    purged = PurgedKey.objects.purged_since(["story-7", "home"], before)

    assert purged == {"story-7": PurgedKey.objects.get(key="story-7").purged_at}
    assert timezone.is_aware(purged["story-7"])


def test_a_key_purged_before_the_moment_is_not_named():
    purge(["story-7"])

    assert PurgedKey.objects.purged_since(["story-7"], timezone.now() + timedelta(seconds=1)) == {}


def test_a_purge_at_the_very_moment_counts_as_since():
    purge(["home"])
    moment = PurgedKey.objects.get(key="home").purged_at

    assert PurgedKey.objects.purged_since(["home"], moment) == {"home": moment}


def test_no_keys_asks_the_database_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert PurgedKey.objects.purged_since([], timezone.now()) == {}

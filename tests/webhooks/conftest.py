import pytest

from articles.webhooks.models import Event, Subscription
from tests.webhooks.receiver import Receiver, free_port


@pytest.fixture
def subscription(db):
    return Subscription.objects.create(
        name="Wire partner", url=f"http://127.0.0.1:{free_port()}/hooks", events=Event.values
    )


@pytest.fixture
def receiver(subscription):
    receiver = Receiver(subscription.secret, port=int(subscription.url.split(":")[2].split("/")[0]))
    receiver.start()
    yield receiver
    receiver.release.set()
    receiver.stop()

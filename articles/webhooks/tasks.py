"""The worker's side of the outbox (django-tasks: `db_worker`, or `rqworker` on Redis)."""

from django_tasks import task

from . import outbox


@task()
def deliver_message(message_id: str) -> str:
    """Send one outbox message if it is still due; a retry re-queues itself."""
    message = outbox.deliver(message_id)
    return message.status if message else "not due"

"""The task worker's side of purging (django-tasks: `db_worker`, or `rqworker`)."""

from django_tasks import task

from . import purge


@task()
def send_purges(keys: list[str]) -> bool:
    """Tell the cache in front of `keys`; a refusal leaves them due for `send_purges`."""
    return purge.send(keys)

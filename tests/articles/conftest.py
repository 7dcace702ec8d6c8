import pytest
from django.core.management import call_command


@pytest.fixture
def demo(settings):
    """The demo newsroom (`load_demo`, which runs only with debug on)."""
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    settings.DEBUG = False

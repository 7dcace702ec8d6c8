from django.utils.text import slugify


def unique_slug(instance, value, field="slug", max_length=None):
    """A slug for `value` that no other row of the instance's model uses."""
    max_length = max_length or instance._meta.get_field(field).max_length
    base = (slugify(value) or "item")[:max_length].strip("-")
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    candidate, n = base, 2
    while others.filter(**{field: candidate}).exists():
        suffix = f"-{n}"
        candidate = base[: max_length - len(suffix)].strip("-") + suffix
        n += 1
    return candidate

"""The admin's autocomplete pickers, safe with any posted value.

When a form comes back invalid, Django's `AutocompleteSelect` and
`AutocompleteSelectMultiple` look up the posted values to show them as chosen,
and a value that is not an id (`section=abc`, a garbled or crafted post, a
number too large for the database) makes that query raise: a server error
instead of the form's own "Select a valid choice". These widgets leave such
values out of the lookup; the field's error still says what was wrong, and
everything else typed is redisplayed.

Every ModelAdmin and inline with `autocomplete_fields` lists
`AutocompleteAdminMixin` among its bases (tests/test_autocomplete_fields.py
checks that none is missing).
"""

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError


class _LooksUpOnlyIds:
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if self._is_id(v)], attr)

    def _is_id(self, value) -> bool:
        remote = self.field.remote_field
        opts = remote.model._meta
        target = opts.get_field(getattr(remote, "field_name", opts.pk.attname))
        try:
            # The validators hold the database's integer range: an id too large
            # for it fails the `__in` lookup as well.
            target.run_validators(target.to_python(value))
        except ValidationError:
            return False
        return True


class AutocompleteSelect(_LooksUpOnlyIds, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(_LooksUpOnlyIds, widgets.AutocompleteSelectMultiple):
    pass


class AutocompleteAdminMixin:
    """Gives the `autocomplete_fields` of a ModelAdmin or inline the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

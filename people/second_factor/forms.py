from django import forms


class CodeForm(forms.Form):
    """One code: from the authenticator app, or (where `backup_codes_allowed`) a backup code."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, backup_codes_allowed=True, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if backup_codes_allowed:
            field.help_text = (
                "The six digits your authenticator app shows now, or one of your backup codes."
            )
        else:
            field.help_text = "The six digits your authenticator app shows now."
            field.widget.attrs["inputmode"] = "numeric"

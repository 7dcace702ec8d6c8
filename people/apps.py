from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People, organisations and countries"

    def ready(self):
        from . import mentions

        # Any change to a name or alias must reach mention detection.
        for model_name in ["Person", "Organisation", "Country"]:
            model = self.get_model(model_name)
            for signal in (post_save, post_delete):
                signal.connect(
                    mentions.invalidate_on_change,
                    sender=model,
                    dispatch_uid=f"people-mentions-{model_name}-{signal is post_save}",
                )

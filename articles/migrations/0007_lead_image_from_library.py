# The plain lead image fields give way to the image library. The demo has no
# pictures and no deployment stored any, so there is nothing to carry over.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0006_image_library"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='article',
            name='lead_image_alt',
        ),
        migrations.RemoveField(
            model_name='article',
            name='lead_image_caption',
        ),
        migrations.RemoveField(
            model_name='article',
            name='lead_image_credit',
        ),
        migrations.RemoveField(
            model_name="article",
            name="lead_image",
        ),
        migrations.AddField(
            model_name="article",
            name="lead_image",
            field=models.ForeignKey(blank=True, help_text='From the image library. Its alt text, caption and credit are edited there.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='lead_for', to='articles.image'),
        ),
    ]

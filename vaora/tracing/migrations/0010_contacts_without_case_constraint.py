"""Decision 0026: a contact's case becomes a Django relation without a database constraint
(its row-by-row check at commit was 0.45 s of an 82,000-contact case page), and the unique
(person, case) index, person first, replaces the person's own index."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0014_sector_accounts'),
        ('tracing', '0009_contact_list_index'),
        ('venues', '0008_default_sectors'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='contact',
            name='contact_once',
        ),
        migrations.AlterField(
            model_name='contact',
            name='case',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='contacts', to='tracing.case'),
        ),
        migrations.AlterField(
            model_name='contact',
            name='person',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.person'),
        ),
        migrations.AddConstraint(
            model_name='contact',
            constraint=models.UniqueConstraint(fields=('person', 'case'), name='contact_once'),
        ),
    ]

"""The resident's status and birth date kept on each category link, so a category filter and
its count read the link index alone (issue 13)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0010_merge_categories_and_tally'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='residentcategory',
            name='rescat_cat_region_res',
        ),
        migrations.AddField(
            model_name='historicalresidentcategory',
            name='resident_status',
            field=models.CharField(default='active', editable=False, max_length=16, verbose_name='服务对象状态'),
        ),
        migrations.AddField(
            model_name='residentcategory',
            name='resident_birth_date',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='服务对象出生日期'),
        ),
        migrations.AddField(
            model_name='residentcategory',
            name='resident_status',
            field=models.CharField(default='active', editable=False, max_length=16, verbose_name='服务对象状态'),
        ),
        # Each link takes its resident's status (where not active) and birth date.
        migrations.RunSQL(
            "UPDATE people_residentcategory SET resident_status = ("
            "SELECT r.status FROM people_resident r "
            "WHERE r.id = people_residentcategory.resident_id) "
            "WHERE resident_id IN (SELECT id FROM people_resident WHERE status <> 'active')",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE people_residentcategory SET resident_birth_date = ("
            "SELECT r.birth_date FROM people_resident r "
            "WHERE r.id = people_residentcategory.resident_id)",
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name='residentcategory',
            index=models.Index(fields=['category', 'resident_status', 'region_code', 'resident', 'resident_birth_date'], name='rescat_cat_status_region'),
        ),
    ]

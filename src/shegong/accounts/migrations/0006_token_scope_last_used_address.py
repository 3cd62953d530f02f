# Tokens get a scope (existing ones keep read-write), the address they were last used from, and
# an expiry for those that had none (90 days after creation, the default maximum).

from datetime import timedelta

from django.db import migrations, models
from django.db.models import F

EXISTING_TOKENS_EXPIRE_AFTER = timedelta(days=90)


def give_every_token_an_expiry(apps, schema_editor):
    Token = apps.get_model("accounts", "PersonalAccessToken")
    Token.objects.filter(expires_at__isnull=True).update(
        expires_at=F("created_at") + EXISTING_TOKENS_EXPIRE_AFTER
    )


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0005_second_factor_rule_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="personalaccesstoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "只读"), ("read_write", "读写")],
                default="read_write",
                max_length=16,
                verbose_name="权限范围",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="personalaccesstoken",
            name="last_used_ip",
            field=models.GenericIPAddressField(blank=True, null=True, verbose_name="最近使用地址"),
        ),
        migrations.AddField(
            model_name="personalaccesstoken",
            name="use_audited_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="最近一次使用审计"
            ),
        ),
        migrations.RunPython(give_every_token_an_expiry, migrations.RunPython.noop),
    ]

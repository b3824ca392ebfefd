"""R10.4: staff phone, e-mail and birth date encrypted at rest (`ioc.common.privacy`): the encrypted columns are
added, existing rows encrypted, then the plain columns dropped. Reversible (decrypts back)."""

from typing import Any

from django.db import migrations, models

PLAIN = ("phone", "email", "birth_date")


def encrypt_rows(apps: Any, schema_editor: Any) -> None:
    from ioc.common.privacy import encrypt

    Staff = apps.get_model("operations", "Staff")
    for row in Staff.objects.only("pk", *PLAIN).iterator(chunk_size=500):
        born = row.birth_date.isoformat() if row.birth_date else ""
        Staff.objects.filter(pk=row.pk).update(
            phone_encrypted=encrypt(row.phone or ""),
            email_encrypted=encrypt(row.email or ""),
            birth_date_encrypted=encrypt(born),
        )


def decrypt_rows(apps: Any, schema_editor: Any) -> None:
    import datetime as dt

    from ioc.common.privacy import decrypt

    Staff = apps.get_model("operations", "Staff")
    fields = ("pk", "phone_encrypted", "email_encrypted", "birth_date_encrypted")
    for row in Staff.objects.only(*fields).iterator(chunk_size=500):
        born = decrypt(row.birth_date_encrypted)
        Staff.objects.filter(pk=row.pk).update(
            phone=decrypt(row.phone_encrypted)[:30],
            email=decrypt(row.email_encrypted),
            birth_date=dt.date.fromisoformat(born) if born else None,
        )


class Migration(migrations.Migration):
    dependencies = [("operations", "0004_asset_fault_maintenanceplan_maintenancerecord_and_more")]

    operations = [
        *(
            migrations.AddField(
                model_name="staff", name=name, field=models.TextField(blank=True, default=""), preserve_default=False
            )
            for name in ("phone_encrypted", "email_encrypted", "birth_date_encrypted")
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
        migrations.RemoveField(model_name="staff", name="phone"),
        migrations.RemoveField(model_name="staff", name="email"),
        migrations.RemoveField(model_name="staff", name="birth_date"),
    ]

"""Number every audit event's primary key by its sequence number.

From now on events are stored with ``id = seq`` (see ``audit_record_many``), so ``audit verify``
can check the key as well as every other column. Events written before keep their old keys;
this renumbers them once, deliberately, under the maintenance flag (in two steps, so no key
collides on the way).
"""

from django.db import migrations

REASON = "audit migration 0003"


def renumber(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM audit_auditevent WHERE id <> seq")
        if cursor.fetchone()[0] == 0:
            return
        cursor.execute("INSERT INTO audit_maintenance (reason) VALUES (%s)", [REASON])
        cursor.execute("UPDATE audit_auditevent SET id = -seq")
        cursor.execute("UPDATE audit_auditevent SET id = seq")
        cursor.execute("DELETE FROM audit_maintenance WHERE reason = %s", [REASON])


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]
    operations = [migrations.RunPython(renumber, migrations.RunPython.noop)]

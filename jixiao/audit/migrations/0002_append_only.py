"""Make the database refuse UPDATE and DELETE on audit events, and create the single head row.

The refusal is lifted only while the maintenance table ``audit_maintenance`` (not a Django
model, so ``flush`` leaves it alone) holds a row: ``jixiao demo --reset`` and the test suite's
database teardown set it deliberately. Tampering is still caught by the hash chain.
"""

from django.db import migrations

MESSAGE = "audit log is append-only"

SQLITE = [
    "CREATE TABLE audit_maintenance (reason varchar(200) NOT NULL)",
    f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
        WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
        WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
POSTGRES = [
    "CREATE TABLE audit_maintenance (reason varchar(200) NOT NULL)",
    f"""CREATE FUNCTION audit_event_refuse() RETURNS trigger AS $$
        BEGIN
          IF NOT EXISTS (SELECT 1 FROM audit_maintenance) THEN
            RAISE EXCEPTION '{MESSAGE}';
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_auditevent
        FOR EACH ROW EXECUTE FUNCTION audit_event_refuse()""",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse()""",
]
MYSQL = [
    "CREATE TABLE audit_maintenance (reason varchar(200) NOT NULL)",
    f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent FOR EACH ROW
        BEGIN
          IF (SELECT COUNT(*) FROM audit_maintenance) = 0 THEN
            SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{MESSAGE}';
          END IF;
        END""",
    f"""CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent FOR EACH ROW
        BEGIN
          IF (SELECT COUNT(*) FROM audit_maintenance) = 0 THEN
            SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{MESSAGE}';
          END IF;
        END""",
]


def install(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES, "mysql": MYSQL}[schema_editor.connection.vendor]
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    apps.get_model("audit", "AuditHead").objects.using(schema_editor.connection.alias).get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]

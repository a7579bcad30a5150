"""Issue #10: names are normalised without invisible characters and with traditional characters
folded to simplified. Stored keys that the new normalisation changes are rewritten; a key that
would collide with another customer's is left as it was (an officer merges such pairs)."""

from django.db import migrations


def renormalize(apps, schema_editor):
    from huoban.customers.normalize import head2, normalize_name

    Customer = apps.get_model("customers", "Customer")
    CustomerName = apps.get_model("customers", "CustomerName")
    taken = set(Customer.objects.values_list("normalized_name", flat=True))
    for customer in Customer.objects.only("id", "legal_name", "normalized_name").iterator(2000):
        new = normalize_name(customer.legal_name)
        if new and new != customer.normalized_name and new not in taken:
            Customer.objects.filter(pk=customer.pk).update(normalized_name=new)
            taken.discard(customer.normalized_name)
            taken.add(new)
    changed = []
    seen = set(CustomerName.objects.values_list("customer_id", "normalized"))
    for row in CustomerName.objects.only("id", "customer_id", "name", "normalized").iterator(2000):
        new = normalize_name(row.name)
        if new and new != row.normalized and (row.customer_id, new) not in seen:
            seen.add((row.customer_id, new))
            row.normalized, row.head2 = new, head2(new)
            changed.append(row)
    CustomerName.objects.bulk_update(changed, ["normalized", "head2"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("customers", "0007_consent_document")]

    operations = [migrations.RunPython(renormalize, migrations.RunPython.noop, elidable=True)]

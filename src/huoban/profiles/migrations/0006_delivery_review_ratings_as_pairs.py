"""Delivery-review ratings become [dimension, rating] pairs: a JSON object loses the reviewer's
order in PostgreSQL's jsonb. Reviews stored as objects keep the order they come back in."""

from typing import Any

from django.db import migrations


def to_pairs(apps: Any, schema_editor: Any) -> None:
    DeliveryReview = apps.get_model("profiles", "DeliveryReview")
    for review in DeliveryReview.objects.all():
        if isinstance(review.ratings, dict):
            review.ratings = [[d, r] for d, r in review.ratings.items()]
            review.save(update_fields=["ratings"])


def to_objects(apps: Any, schema_editor: Any) -> None:
    DeliveryReview = apps.get_model("profiles", "DeliveryReview")
    for review in DeliveryReview.objects.all():
        if isinstance(review.ratings, list):
            review.ratings = {d: r for d, r in review.ratings}
            review.save(update_fields=["ratings"])


class Migration(migrations.Migration):
    dependencies = [("profiles", "0005_deliveryreview")]

    operations = [migrations.RunPython(to_pairs, to_objects)]

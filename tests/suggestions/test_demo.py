import pytest
from django.core.management import call_command

from shegong.suggestions.models import Suggestion


@pytest.mark.django_db
def test_the_demo_has_hundreds_of_grouped_suggestions_some_published():
    call_command("demo", only=["orgs", "accounts", "suggestions"])
    qs = Suggestion.objects.unscoped(reason="test")
    assert qs.count() >= 200
    assert {c[:6] for c in qs.values_list("county_code", flat=True)} == {"440106", "441881"}
    assert len(set(qs.values_list("topic", flat=True))) >= 10
    assert qs.values("cluster_id").distinct().count() < qs.count() * 0.5  # near-duplicates
    assert qs.filter(status="published").exists() and qs.filter(status="received").exists()
    call_command("demo", only=["suggestions"])  # idempotent
    assert qs.count() == Suggestion.objects.unscoped(reason="test").count()

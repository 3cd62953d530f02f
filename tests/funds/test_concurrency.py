"""Done-when 1: concurrent postings on PostgreSQL neither create nor lose money."""

from __future__ import annotations

import random
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import Sum

from shegong.funds import selectors, services
from shegong.funds.models import Account, AccountKind, JournalLine

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row-lock concurrency needs PostgreSQL (SQLite serialises all writers); "
    "CI runs this suite on PostgreSQL too",
)

THREADS = 50
ACCOUNTS = 10
TRANSFERS_PER_THREAD = 12


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_threads_posting_among_ten_accounts_keep_every_fen(transactional_db, make_member):
    from shegong.orgs.models import Organisation

    user = make_member("dept_staff", "440106000000")
    orgs = [
        Organisation.objects.create(
            name=f"并发测试单位{i}", kind="sw_station", region_id="440106001000"
        )
        for i in range(ACCOUNTS)
    ]
    accounts = []
    for org in orgs:
        services.appropriation_post(
            acting_user=None, organisation=org, source="local", amount=50_000, memo="初始资金"
        )
        accounts.append(services.account_for(organisation=org, source="local"))
    ids = [a.pk for a in accounts]
    total_before = sum(Account.objects.filter(pk__in=ids).values_list("balance", flat=True))
    posted, refused, errors = [], [], []
    barrier = threading.Barrier(THREADS)

    def worker(seed: int) -> None:
        r = random.Random(seed)
        try:
            barrier.wait(timeout=30)
            for n in range(TRANSFERS_PER_THREAD):
                a, b = r.sample(ids, 2)
                try:
                    entry = services.transfer_post(
                        acting_user=user,
                        from_account=Account.objects.get(pk=a),
                        to_account=Account.objects.get(pk=b),
                        amount=r.randint(1, 20_000),
                        memo="并发转账",
                        # every third posting is retried with the same key: it must post once
                        idempotency_key=f"t{seed}-{n}" if n % 3 == 0 else None,
                    )
                    posted.append(entry.pk)
                    if n % 3 == 0:
                        again = services.transfer_post(
                            acting_user=user,
                            from_account=Account.objects.get(pk=a),
                            to_account=Account.objects.get(pk=b),
                            amount=entry.amount,
                            memo="并发转账",
                            idempotency_key=f"t{seed}-{n}",
                        )
                        assert again.pk == entry.pk
                except ValidationError:
                    refused.append(1)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors[:3]
    assert len(posted) > THREADS * TRANSFERS_PER_THREAD // 3  # most transfers went through
    assert len(set(posted)) == len(posted)
    final = {a.pk: a.balance for a in Account.objects.filter(pk__in=ids)}
    for pk, balance in final.items():
        sums = JournalLine.objects.filter(account_id=pk).aggregate(d=Sum("debit"), c=Sum("credit"))
        assert balance == sums["d"] - sums["c"]
        assert balance >= 0
        assert selectors.account_verify(Account.objects.get(pk=pk)).ok
    assert sum(final.values()) == total_before
    assert not Account.objects.filter(kind=AccountKind.HOLDING, balance__lt=0).exists()

"""The load test's accounts and plan (bench/bench_load.py, step 1): made idempotently through the
application's services on a benchmark database, and the plan bench/locustfile.py reads."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

VAR = Path(__file__).resolve().parent.parent / "var" / "loadtest"
PASSWORD = "Yali-ceshi-2026!"  # the load-test accounts' password (benchmark databases only)
COUNTY = "440106"  # 天河区: the county with the benchmark's heavy lists (bench/synth_people.py)
POOLS = {"leader": 12, "staff": 24, "worker": 36}  # more accounts than users of each kind
DUE_PER_WORKER = 12


def _organisation(region_code: str, kind: str):
    from shegong.orgs.models import Organisation

    found = Organisation.objects.filter(region_id=region_code, kind=kind).order_by("id").first()
    if found is None:
        raise SystemExit(f"no {kind} in {region_code}: generate the benchmark data first")
    return found


def _account(username: str, organisation, role: str) -> dict:
    """The account with its membership (and its authenticator when its role needs one), made
    as a command-line tool makes them (no acting user: the operator at the console)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from shegong.accounts import membership_services
    from shegong.accounts.models import User
    from shegong.accounts.signin import second_factor

    user = User.objects.filter(username=username).first()
    if user is None:
        user = membership_services.user_create(
            acting_user=None,
            username=username,
            password=PASSWORD,
            full_name=f"压测{username.rsplit('_', 1)[-1]}",
            via="bench_load",
        )
    membership, _ = membership_services.membership_ensure(
        acting_user=None, user=user, organisation=organisation, role=role, via="bench_load"
    )
    user.active_membership = membership
    key = ""
    if second_factor.requires_second_factor(user):
        device = second_factor.authenticator_of(user)
        if device is None:  # enrolled as a person would: the first code confirms it
            pending = second_factor.otp_enrolment_start(acting_user=user)
            code, _step = second_factor.code_for(pending)
            device, _codes = second_factor.otp_enrolment_confirm(
                acting_user=user, device_id=pending.pk, code=code
            )
        key = TOTPDevice.objects.get(pk=device.pk).key
    return {"username": username, "password": PASSWORD, "totp_key": key, "user": user}


def _give_due_visits(worker, township: str, actor, today: date) -> int:
    """Residents of the township with a visit due within the week and no worker yet, assigned
    to `worker` (through the residents service) until it holds DUE_PER_WORKER due visits."""
    from shegong.people.models import Resident, VisitPlan
    from shegong.people.services import resident_update

    horizon = today + timedelta(days=7)
    held = VisitPlan.objects.unscoped(reason=SETUP).filter(
        worker=worker, is_active=True, next_due_date__lte=horizon
    )
    missing = DUE_PER_WORKER - held.count()
    if missing <= 0:
        return 0
    ids = list(
        VisitPlan.objects.unscoped(reason=SETUP)
        .filter(
            worker__isnull=True,
            is_active=True,
            next_due_date__lte=horizon,
            region_code__startswith=township,
        )
        .order_by("next_due_date", "id")
        .values_list("resident_id", flat=True)[:missing]
    )
    for resident in Resident.objects.unscoped(reason=SETUP).filter(pk__in=ids):
        resident_update(resident=resident, acting_user=actor, data={"assigned_worker": worker})
    return len(ids)


def _indicator_values(today: date) -> int:
    """The leaders' pages read cached indicator values, and a month the cache lacks is computed
    while the page waits (a dashboard's trend lines: twelve months × its cards). As the night job
    would have, the twelve last complete months missing from the cache are computed here
    (bench_indicators --db postgres computes all of the night job's periods)."""
    from shegong.indicators.models import IndicatorValue
    from shegong.indicators.periods import MONTH
    from shegong.indicators.services import values_refresh
    from shegong.indicators.tasks import night_periods

    values = IndicatorValue.objects.unscoped(reason=SETUP)
    written, memo = 0, {}
    for period in night_periods(today):
        if period.type != MONTH:
            continue
        if not values.filter(period_type=MONTH, period_start=period.start).exists():
            written += values_refresh(period=period, memo=memo)
    return written


SETUP = "The load test's setup picks, across the benchmark data, the rows its accounts work on."


def setup() -> dict:
    """The accounts and the plan the locust users read (idempotent)."""
    from shegong.accounts import services as account_services
    from shegong.accounts.models import PersonalAccessToken
    from shegong.orgs.models import Organisation
    from shegong.people.models import Resident
    from shegong.petitions.models import Matter
    from shegong.regions.models import Level, Region

    today = date.today()
    county_org = _organisation(f"{COUNTY}000000", "sw_department")
    admin = _account("loadtest_setup", county_org, "dept_staff")["user"]
    accounts: dict[str, list[dict]] = {"leader": [], "staff": [], "worker": []}
    for n in range(POOLS["leader"]):
        region = "000000000000" if n % 2 == 0 else "440000000000"
        org = _organisation(region, "sw_department")
        accounts["leader"].append(_account(f"loadtest_leader_{n + 1}", org, "dept_leader"))
    for n in range(POOLS["staff"]):
        accounts["staff"].append(_account(f"loadtest_staff_{n + 1}", county_org, "dept_staff"))
    townships = list(
        Region.objects.filter(level=Level.TOWNSHIP, code__startswith=COUNTY)
        .order_by("code")
        .values_list("code", flat=True)
    )
    stations = {
        o.region_id: o
        for o in Organisation.objects.filter(kind="sw_station", region_id__in=townships)
    }
    if not stations:
        raise SystemExit(f"no station in {COUNTY}: generate the benchmark data first")
    station_codes = sorted(stations)
    assigned = 0
    for n in range(POOLS["worker"]):
        code = station_codes[n % len(station_codes)]
        account = _account(f"loadtest_worker_{n + 1}", stations[code], "station_worker")
        assigned += _give_due_visits(account["user"], code[:9], admin, today)
        accounts["worker"].append(account)

    api_user = _account("loadtest_api", county_org, "dept_staff")
    token = None
    plan_file = VAR / "plan.json"
    if plan_file.exists():
        old = json.loads(plan_file.read_text())
        digest = PersonalAccessToken.digest_of(old.get("api_token", ""))
        if PersonalAccessToken.objects.usable().filter(digest=digest).exists():
            token = old["api_token"]
    if token is None:
        _token, token = account_services.token_create(
            acting_user=api_user["user"],
            membership=api_user["user"].active_membership,
            name="压测接口客户端",
            scope=PersonalAccessToken.Scope.READ,
        )
    tracking = list(
        Matter.objects.unscoped(reason=SETUP)
        .filter(county_code=COUNTY)
        .exclude(track_suffix="")
        .order_by("id")
        .values_list("number", "track_suffix")[:200]
    )
    names = list(
        Resident.objects.unscoped(reason=SETUP)
        .filter(county_code=COUNTY)
        .order_by("id")
        .values_list("name", flat=True)[:400:10]
    )
    refreshed = _indicator_values(today)
    plan = {
        "accounts": {
            role: [{k: v for k, v in a.items() if k != "user"} for a in people]
            for role, people in accounts.items()
        },
        "api_token": token,
        "tracking": tracking or [["000000000000000000000", "0000"]],
        "names": names,
    }
    VAR.mkdir(parents=True, exist_ok=True)
    plan_file.write_text(json.dumps(plan, ensure_ascii=False, indent=1))
    plan_file.chmod(0o600)
    print(
        f"setup: {sum(len(v) for v in accounts.values())} accounts, {assigned} visits newly "
        f"assigned, {len(tracking)} tracking numbers, {len(names)} names, {refreshed} indicator "
        "values computed",
        flush=True,
    )
    return plan

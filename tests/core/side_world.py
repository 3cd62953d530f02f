"""The world the side-channel harness walks: a home county (英德市) whose administrator acts, and a
foreign county (天河区) whose records the home user's inputs match (same phone, same ID number,
a similar name, the same credit code, a similar request...).

Foreign records are created with primary keys from FOREIGN_IDS (every table's id sequence is
advanced before they are made), so any of their ids in a response — in a link, a JSON field, a
hidden input — is recognisable, and their rows (and history rows) can be compared before and
after each route. Rows the probes create get ids from PROBE_IDS. The foreign county's social
work department and station are public bodies (their names are what a side door may say, the
station is in the public directory) and are made before, with ordinary ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from shegong.core.crypto import mask_id
from shegong.people.synthetic import make_id_number

FOREIGN_IDS = range(9_000_000, 9_500_000)
PROBE_IDS_START = 9_500_000
PK_PATTERN = re.compile(r"(?<!\d)(9[0-4]\d{5})(?!\d)")

HOME_DEPT_CODE = "441881000000"  # 英德市
HOME_TOWNSHIP = "441881001000"  # 英城街道
HOME_VILLAGE = "441881001001"
FOREIGN_DEPT_CODE = "440106000000"  # 天河区
FOREIGN_TOWNSHIP = "440106001000"  # 五山街道
FOREIGN_VILLAGE = "440106001001"  # 岳洲社区
VALID_CREDIT_CODE = "52440106MJ0000001J"  # 52: a social service organisation


@dataclass
class Foreign:
    """天河区's records, as a user of 英德市 would type them (and must never be shown them)."""

    resident_name: str = "陈阿珍"
    resident_phone: str = "13912345678"
    resident_id: str = make_id_number("440106", date(1937, 3, 21), 11, "F")
    resident_address: str = "天河区五山路九十九号"
    petitioner_name: str = "张建国"
    petitioner_phone: str = "13800138000"
    petitioner_id: str = make_id_number("440106", date(1969, 7, 9), 21, "M")
    matter_title: str = "工地拖欠农民工工资"
    matter_request: str = "请求督促某建筑公司支付拖欠的三个月工资共计四万五千元"
    volunteer_name: str = "黎晓风"
    volunteer_phone: str = "13700137000"
    volunteer_id: str = make_id_number("440106", date(1991, 11, 2), 31, "F")
    organisation_name: str = "天河区启航社会工作服务中心"
    credit_code: str = VALID_CREDIT_CODE
    worker_name: str = "黎国强"
    worker_username: str = "tianhe_worker_li"
    team_name: str = "天河蓝天志愿服务队"
    activity_title: str = "天河长者陪伴内部草稿"
    case_title: str = "陈阿珍独居照护个案"
    donor_name: str = "王大善"
    donor_phone: str = "13600136000"
    applicant_name: str = "黎晓雨"
    applicant_phone: str = "13411223344"
    applicant_id: str = make_id_number("440106", date(1995, 4, 8), 51, "F")
    applicant_username: str = "tianhe_applicant_li"
    duty_title: str = "五山街道内部职责探针事项"
    duty_keyword: str = "探针关键词甲"
    # directives, reporting, careers
    directive_title: str = "天河区内部督办探针事项"
    directive_body: str = "天河区内部督办探针正文"
    report_text: str = "五山街道探针进展报告内容"
    inspectors: str = "天河探针检查员甲"
    findings: str = "五山街道探针检查发现的问题"
    rectification_text: str = "五山街道探针整改事项"
    form_name: str = "天河区内部探针报表"
    report_highlight: str = "五山街道探针报表亮点"
    profile_name: str = "林探针"
    profile_id: str = make_id_number("440106", date(1988, 5, 6), 61, "F")
    achievements: str = "天河探针职称业绩成果"
    scheme_name: str = "天河区探针考核方案"
    appraisal_comment: str = "天河探针督导评语"
    conduct_title: str = "天河探针表彰名称"
    conduct_basis: str = "天河探针表彰依据文件"
    pay_document: str = "天河区探针薪酬指导文件"
    # workforce
    mentor_name: str = "何督导探针"
    mentor_id: str = make_id_number("440106", date(1975, 8, 9), 71, "M")
    certificate_no: str = "TH2020PROBE0001"
    external_title: str = "天河探针外部培训"
    course_title: str = "天河区探针内部培训班"
    mentoring_goals: str = "天河探针带教目标"
    session_topic: str = "天河探针督导主题"
    # party
    party_org_name: str = "天河探针联合党支部"
    party_secretary: str = "郑探针书记"
    # contact
    contact_title: str = "五山街道探针联系群众会议"
    contact_agenda: str = "五山街道探针会议议程"
    contact_item_text: str = "五山街道探针群众反映事项"
    contact_answer: str = "天河探针答复内容"
    contact_minutes: str = "五山街道探针会议纪要"
    # indicators
    subscription_name: str = "天河探针指标订阅"
    # brands and practices (the library's practice is public; its review and adoption notes not)
    brand_name: str = "天河探针品牌项目"
    brand_statement: str = "天河探针认定申报说明"
    practice_title: str = "天河探针经验做法"
    practice_problem: str = "天河探针做法问题背景"
    practice_review_note: str = "广州探针内部审核意见"
    practice_adoption_notes: str = "广州探针应用内部备注"
    # suggestions (the published one's text and answer are public: not listed below)
    suggestion_text: str = "五山街道探针意见建议：长者饭堂太远"
    suggestion_name: str = "黎探针"
    suggestion_contact: str = "13511112222"
    suggestion_answer: str = "天河探针意见答复内容"
    # Filled in when the world is built.
    matter_number: str = ""
    volunteer_number: str = ""
    receipt_number: str = ""
    case_number: str = ""
    certificate_number: str = ""
    ids: dict[str, int] = field(default_factory=dict)

    # What the home user types: similar where the rule is similarity, the same where it is equality.
    similar_name: str = "陈阿真"
    similar_request: str = "请求督促某建筑公司支付拖欠三个月的工资共计四万五千元！"

    def secrets(self) -> list[str]:
        """Every identifying value of the foreign records (ids are found by PK_PATTERN)."""
        values = [
            self.resident_name,
            # (not the resident's phone: the home county's resident has the same one)
            self.resident_id,
            mask_id(self.resident_id),
            self.resident_address,
            "1937-03-21",
            self.petitioner_name,
            self.petitioner_phone,
            self.petitioner_id,
            mask_id(self.petitioner_id),
            self.matter_request,
            self.volunteer_name,
            self.volunteer_phone,
            self.volunteer_id,
            mask_id(self.volunteer_id),
            self.organisation_name,
            self.worker_name,
            self.worker_username,
            self.team_name,
            self.activity_title,
            self.case_title,
            self.donor_name,
            self.donor_phone,
            self.applicant_name,
            self.applicant_phone,
            self.applicant_id,
            mask_id(self.applicant_id),
            self.applicant_username,
            self.duty_title,
            self.duty_keyword,
            self.directive_title,
            self.directive_body,
            self.report_text,
            self.inspectors,
            self.findings,
            self.rectification_text,
            self.form_name,
            self.report_highlight,
            self.profile_name,
            self.profile_id,
            mask_id(self.profile_id),
            self.achievements,
            self.scheme_name,
            self.appraisal_comment,
            self.conduct_title,
            self.conduct_basis,
            self.pay_document,
            self.mentor_name,
            self.mentor_id,
            mask_id(self.mentor_id),
            self.certificate_no,
            self.external_title,
            self.course_title,
            self.mentoring_goals,
            self.session_topic,
            self.party_org_name,
            self.party_secretary,
            self.contact_title,
            self.contact_agenda,
            self.contact_item_text,
            self.contact_answer,
            self.contact_minutes,
            self.subscription_name,
            self.brand_name,
            self.brand_statement,
            self.practice_title,
            self.practice_problem,
            self.practice_review_note,
            self.practice_adoption_notes,
            self.suggestion_text,
            self.suggestion_name,
            self.suggestion_contact,
            self.suggestion_answer,
            self.matter_number,
            self.volunteer_number,
            self.receipt_number,
            self.case_number,
            self.certificate_number,
        ]
        return [v for v in values if v]


# ---- ids -----------------------------------------------------------------------------------------


def _auto_tables() -> list[tuple[str, str]]:
    found = []
    for model in apps.get_models(include_auto_created=True):
        pk = model._meta.pk
        if model._meta.managed and pk.get_internal_type() in (
            "AutoField",
            "BigAutoField",
            "SmallAutoField",
        ):
            found.append((model._meta.db_table, pk.column))
    return found


def save_sequences() -> dict[str, tuple[int, bool]]:
    """PostgreSQL's sequences are not rolled back with the test: remember where they were."""
    if connection.vendor != "postgresql":
        return {}
    saved = {}
    with connection.cursor() as cursor:
        for table, column in _auto_tables():
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
            sequence = cursor.fetchone()[0]
            if sequence:
                cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608
                saved[sequence] = cursor.fetchone()
    return saved


def restore_sequences(saved: dict[str, tuple[int, bool]]) -> None:
    with connection.cursor() as cursor:
        for sequence, (value, called) in saved.items():
            cursor.execute("SELECT setval(%s, %s, %s)", [sequence, value, called])


def advance_ids(to: int) -> None:
    """Make every table's next id at least `to` + 1."""
    with connection.cursor() as cursor:
        for table, column in _auto_tables():
            if connection.vendor == "sqlite":
                cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [to, table])
                if cursor.rowcount == 0:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, to]
                    )
            else:
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
                sequence = cursor.fetchone()[0]
                if sequence:
                    cursor.execute("SELECT setval(%s, %s)", [sequence, to])


# ---- the foreign rows, to compare ----------------------------------------------------------------


def _int_columns(model) -> list[str]:
    """Columns that hold an id of a row that may be foreign: the primary key, foreign keys to
    integer keys, and the tracked object's id in a history table."""
    columns = []
    integer = ("AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField")
    for f in model._meta.concrete_fields:
        if f.primary_key and f.get_internal_type() in integer:
            columns.append(f.attname)
        elif f.is_relation and (f.many_to_one or f.one_to_one):
            if f.target_field.get_internal_type() in integer:
                columns.append(f.attname)
        elif f.name == "id" and hasattr(model, "history_id"):
            columns.append(f.attname)
    return columns


def foreign_rows() -> dict[str, list[tuple]]:
    """Every row that is, or points at, a foreign record (its history rows included)."""
    snapshot = {}
    low, high = FOREIGN_IDS.start, FOREIGN_IDS.stop
    for model in apps.get_models(include_auto_created=True):
        condition = Q()
        for column in _int_columns(model):
            condition |= Q(**{f"{column}__gte": low, f"{column}__lt": high})
        if not condition:
            continue
        rows = list(model._base_manager.filter(condition).order_by("pk").values_list())
        if rows:
            snapshot[model._meta.label] = rows
    return snapshot


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


# ---- building ------------------------------------------------------------------------------------


def _member(org, role, username, full_name=""):
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username=username, full_name=full_name or username)
    membership = MembershipFactory(user=user, organisation=org, role=role)
    user.active_membership = membership
    return user


def _org(name, kind, region, **extra):
    from shegong.orgs.models import Organisation

    return Organisation.objects.create(name=name, kind=kind, region_id=region, **extra)


def _build_home(w) -> None:
    from shegong.accounts import services as accounts
    from shegong.cases import services as cases
    from shegong.funds import services as funds
    from shegong.inbox import services as inbox
    from shegong.people import services as people
    from shegong.people.models import Category
    from shegong.petitions import services as petitions
    from shegong.petitions.models import Category as MatterCategory
    from shegong.regions.models import Region
    from shegong.volunteers import services as volunteers
    from shegong.volunteers.models import Volunteer

    today = timezone.localdate()
    w.dept = _org("英德市委社会工作部", "sw_department", HOME_DEPT_CODE)
    w.station = _org("英城街道社工站", "sw_station", HOME_TOWNSHIP)
    w.committee = _org("英城街道人民调解委员会", "mediation_committee", HOME_TOWNSHIP)
    w.hospital = _org("英德市人民医院", "hospital", HOME_TOWNSHIP)
    w.labour = _org(
        "英德市人力资源和社会保障局", "gov_department", HOME_DEPT_CODE, sector="human_resources"
    )
    w.user = _member(w.dept, "sysadmin", "home_admin", "英德管理员")
    w.leader = _member(w.dept, "dept_leader", "home_leader", "英德领导")
    w.supervisor = _member(w.dept, "supervisor", "home_supervisor", "英德督导")
    from shegong.field.services import device_register

    w.home_device_id = str(device_register(acting_user=w.user, name="英德探针手机").pk)
    # A resident with the foreign resident's phone and a similar name: duplicate checks and the
    # merge page look for the foreign one from here.
    w.resident = people.resident_create(
        acting_user=w.user,
        name=w.foreign.similar_name,
        id_number=make_id_number("441881", date(1950, 2, 2), 5, "F"),
        region=Region.objects.get(code=HOME_VILLAGE),
        phone=w.foreign.resident_phone,
        categories=[Category.objects.get(code="living_alone")],
        confirm_duplicates=True,
    )
    w.category = Category.objects.get(code="living_alone")
    w.visit = people.visit_record(
        resident=w.resident,
        acting_user=w.user,
        visited_on=today,
        mode="home",
        finding_living="邻里纠纷",
    )
    w.assistance = people.assistance_create(
        resident=w.resident,
        acting_user=w.user,
        data={"kind": "adaptation", "description": "扶手安装", "given_on": today},
    )
    w.case = cases.case_open(
        acting_user=w.user, resident=w.resident, title="英德个案", source="self", problem="独居"
    )
    cases.case_transition(case=w.case, to_status="assessment", acting_user=w.user)
    cases.case_update_notes(
        case=w.case, acting_user=w.user, data={"assessment_note": "独居，需要探访"}
    )
    cases.case_transition(case=w.case, to_status="planning", acting_user=w.user)
    cases.goal_add(case=w.case, acting_user=w.user, text="每周探访")
    w.task = cases.task_add(
        case=w.case,
        acting_user=w.user,
        title="联系家属",
        owner=w.user,
        due_date=today + timedelta(7),
    )
    w.review = cases.review_request(case=w.case, kind="plan", acting_user=w.user)
    w.referral_case = cases.case_open(
        acting_user=w.user, resident=w.resident, title="英德转介个案", source="self"
    )
    from shegong.privacy.services import consent_record

    w.consent = consent_record(
        acting_user=w.user,
        resident=w.resident,
        purpose="referral",
        basis="consent",
        method="written",
        given_by="self",
        given_on=today,
    )
    w.referral = cases.referral_create(
        case=w.referral_case, acting_user=w.user, to_organisation=w.hospital, reason="需要医疗"
    )
    wages = MatterCategory.objects.get(code="labour.wages")
    w.matter = petitions.matter_register(
        acting_user=w.user,
        kind="dispute",
        channel="visit",
        region_code=HOME_TOWNSHIP,
        category=wages,
        title="英德邻里纠纷",
        request="请求调解邻里之间的排水纠纷",
        petitioners=[{"name": "英德居民", "phone": "13500135000"}],
    )
    w.attachment = petitions.attachment_add(
        matter=w.matter,
        upload=SimpleUploadedFile("note.txt", b"note", content_type="text/plain"),
        acting_user=w.user,
    )
    petitions.matter_route(matter=w.matter, organisation=w.dept, acting_user=w.user)
    petitions.matter_accept(matter=w.matter, acting_user=w.user)
    w.mediation = petitions.mediation_start(
        matter=w.matter, acting_user=w.user, committee=w.committee, mediators="调解员甲"
    )
    w.rating_review = petitions.rating_review_open(matter=w.matter, via="worker")
    w.volunteer = volunteers.volunteer_register(
        data={
            "name": "英德志愿者",
            "id_number": make_id_number("441881", date(1990, 1, 1), 7, "M"),
            "phone": "13300133000",
            "region": HOME_VILLAGE,
        },
        source=Volunteer.Source.ORGANISATION,
        acting_user=w.user,
        consent=True,
    )
    volunteers.volunteer_account_create(
        w.volunteer,
        username="home_volunteer",
        password_hash=make_password("Zhiyuan@2026!x"),
        acting_user=w.user,
    )
    w.volunteer_user = w.volunteer.user
    w.volunteer_user.active_membership = w.volunteer_user.memberships.get()
    w.team = volunteers.team_create(
        acting_user=w.user, organisation=w.dept, name="英德志愿服务队", kind="community"
    )
    w.team_member = volunteers.team_add_member(
        team=w.team, volunteer=w.volunteer, acting_user=w.user
    )
    start = timezone.now() + timedelta(hours=1)
    w.activity = volunteers.activity_create(
        acting_user=w.user,
        organisation=w.dept,
        data={
            "title": "英德长者探访",
            "description": "探访",
            "service_type": "elderly",
            "beneficiaries": "长者",
            "address": "英城街道",
            "region": HOME_TOWNSHIP,
            "starts_at": start,
            "ends_at": start + timedelta(hours=6),
            "auto_accept": True,
        },
        shifts=[
            {
                "starts_at": start,
                "ends_at": start + timedelta(hours=1),
                "capacity": 5,
                "required_skills": [],
                "title": "第一班",
            }
        ],
        publish=True,
    )
    w.shift = w.activity.shifts.get()
    w.signup = volunteers.signup_create(shift=w.shift, volunteer=w.volunteer, acting_user=w.user)
    served = timezone.now() - timedelta(hours=2)
    volunteers.signup_check_in(signup=w.signup, acting_user=w.user, at=served)
    w.record = volunteers.signup_check_out(
        signup=w.signup, acting_user=w.user, at=served + timedelta(minutes=50)
    )
    volunteers.record_confirm(record=w.record, acting_user=w.user)
    w.certificate = volunteers.certificate_issue(
        volunteer=w.volunteer, organisation=w.dept, acting_user=w.user
    )
    w.pending_signup = volunteers.signup_create(
        shift=w.shift,
        volunteer=volunteers.volunteer_register(
            data={
                "name": "英德志愿者二",
                "id_number": make_id_number("441881", date(1992, 2, 2), 9, "F"),
                "phone": "13300133001",
                "region": HOME_VILLAGE,
            },
            source=Volunteer.Source.ORGANISATION,
            acting_user=w.user,
            consent=True,
        ),
        acting_user=w.user,
    )
    funds.appropriation_post(
        acting_user=None, organisation=w.dept, source="local", amount=10_000_000, memo="预算"
    )
    w.account = funds.account_for(organisation=w.dept, source="local")
    w.entry = w.account.lines.order_by("id").first().entry
    w.plan = funds.plan_create(acting_user=w.user, title="英德分配方案", period=2026, pot=100_000)
    w.recipient = w.plan.recipients.order_by("id").first()
    w.pairing = funds.pairing_create(
        acting_user=w.user,
        giver=w.dept,
        receiver=w.foreign_dept,
        year=2026,
        agreed_amount=500_000,
        title="对口协作",
    )
    donor = funds.donor_create(acting_user=w.user, kind="person", name="英德捐赠人")
    w.donation = funds.donation_receive(
        acting_user=w.user,
        organisation=w.dept,
        donor=donor,
        kind="money",
        amount=200_000,
        received_on=today,
    )
    w.token, w.token_secret = accounts.token_create(
        acting_user=w.user, membership=w.user.active_membership, name="harness"
    )
    inbox.notify(
        recipient_ids=[w.user.pk],
        region_code=HOME_DEPT_CODE,
        kind="note",
        params={},
        url="/",
        key="harness:home",
    )
    w.notification = w.user.notifications.order_by("id").first()
    _build_home_units(w)
    _build_home_contact(w)
    _build_home_brands(w)


def _build_home_brands(w) -> None:
    """英德市's own brand (the probes link foreign activities to it, apply, evaluate) and its own
    draft practice."""
    from shegong.brands import services as brands
    from shegong.practices import services as practices

    w.brand = brands.brand_register(
        acting_user=w.user,
        name="英德茶乡暖心驿站",
        kind="service",
        owner=w.station,
        description="探访留守老人",
        started_on=date(2024, 3, 1),
    )
    brands.brand_link_activity(acting_user=w.user, brand=w.brand, activity=w.activity)
    w.recognition = brands.recognition_apply(
        acting_user=w.user, brand=w.brand, level="county", statement="申报县级"
    )
    w.practice = practices.practice_create(
        acting_user=w.user,
        title="英德留守老人探访",
        topic="elderly",
        problem="留守老人多",
        actions="村级服务站发现",
        results="探访率提高",
    )


def _build_public_library(w) -> None:
    """A practice of 天河区 published in the library (public: made with ordinary ids), with
    Guangzhou's private review note and Guangzhou's adoption with private notes (neither may
    reach 英德)."""
    from shegong.practices import services as practices

    f = w.foreign
    author = _member(w.foreign_dept, "dept_leader", "tianhe_library", "天河做法报送人")
    w.city = _org("广州市委社会工作部", "sw_department", "440100000000")
    city_user = _member(w.city, "dept_leader", "gz_leader", "广州领导")
    w.public_practice = practices.practice_create(
        acting_user=author,
        title="天河公开的经验做法",
        topic="elderly",
        problem="公开的问题背景",
        actions="公开的主要做法",
        results="公开的成效",
    )
    practices.practice_submit(practice=w.public_practice, acting_user=author)
    practices.practice_recommend(
        practice=w.public_practice, acting_user=city_user, note=f.practice_review_note
    )
    practices.adoption_record(
        acting_user=city_user,
        practice=w.public_practice,
        kind="adopted",
        adopted_on=date.today() - timedelta(days=5),
        results="广州公开的应用成效",
        private_notes=f.practice_adoption_notes,
    )


def _build_home_contact(w) -> None:
    """英德市's own held meeting with one invitee and one raised item (the probes assign it to
    foreign units, invite foreign records, convert it)."""
    from shegong.contact import services as contact

    w.contact_meeting = contact.meeting_plan(
        acting_user=w.user,
        kind="residents",
        title="英德市居民代表座谈会",
        held_on=timezone.localdate() - timedelta(days=1),
        place="英德市委社会工作部会议室",
    )
    w.contact_invitation = contact.invitation_add(
        meeting=w.contact_meeting, acting_user=w.user, kind="organisation", reference=w.station
    )
    contact.meeting_hold(meeting=w.contact_meeting, acting_user=w.user)
    w.contact_item = contact.item_record(
        meeting=w.contact_meeting,
        acting_user=w.user,
        raiser=w.contact_invitation,
        text="英城街道路灯不亮",
    )


def last_month() -> date:
    first = timezone.localdate().replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def _build_home_units(w) -> None:
    """英德市's directive copies, inspection, report and careers records (the probes act on
    them with foreign ids and foreign units)."""
    from shegong.careers import services as careers
    from shegong.directives import services as directives
    from shegong.directives.models import DirectiveTarget
    from shegong.reporting import services as reporting
    from shegong.workforce.services.profiles import worker_create

    today = timezone.localdate()
    # The province's directive to 英德 (a copy 英德 handles and may cascade), and 英德's own
    # directive to its station (one it issued: remind, close, roll-up).
    w.province_directive = directives.directive_issue(
        acting_user=w.province_user,
        title="广东省社工站督查",
        level=3,
        due_days=20,
        regions=[HOME_DEPT_CODE],
    )
    w.dept_target = DirectiveTarget.objects.unscoped(reason="test world").get(
        directive=w.province_directive, unit=w.dept
    )
    directives.target_acknowledge(target=w.dept_target, acting_user=w.leader)
    w.dept_target.refresh_from_db()
    w.directive = directives.directive_issue(
        acting_user=w.user, title="英德市社工站自查", level=4, due_days=20
    )
    w.target = DirectiveTarget.objects.unscoped(reason="test world").get(
        directive=w.directive, unit=w.station
    )
    w.inspection = directives.inspection_record(
        acting_user=w.user,
        kind="inspection",
        region_code=HOME_TOWNSHIP,
        organisation=w.station,
        inspectors="英德检查员",
        visited_on=today - timedelta(days=2),
        findings="英城街道台账不全",
    )
    # A report form of 英德 and its station's draft.
    w.form = reporting.form_create(
        acting_user=w.user, department=w.dept, name="英德社工站月报", due_days=10
    )
    reporting.element_create(acting_user=w.user, form=w.form, code="served", label="服务人次")
    reporting.element_create(
        acting_user=w.user, form=w.form, code="highlight", label="亮点", kind="text", required=False
    )
    w.submission = reporting.submission_open(
        acting_user=w.user, form=w.form, period_start=last_month(), unit=w.station
    )
    # A form of 英德 still being defined (no report yet): its elements and rule may change.
    w.draft_form = reporting.form_create(
        acting_user=w.user, department=w.dept, name="英德季度报表（拟定中）", due_days=10
    )
    w.draft_element = reporting.element_create(
        acting_user=w.user, form=w.draft_form, code="total", label="总数"
    )
    reporting.element_create(acting_user=w.user, form=w.draft_form, code="part", label="其中")
    w.draft_rule = reporting.rule_create(
        acting_user=w.user,
        form=w.draft_form,
        left="part",
        operator="le",
        right="total",
        name="其中不多于总数",
    )
    # A worker of 英德 in the province's title round, and 英德's appraisal of them.
    w.profile = worker_create(
        acting_user=w.user,
        id_number=make_id_number("441881", date(1989, 6, 1), 63, "M"),
        employer=w.station,
        name="英德社工甲",
        education="bachelor",
        social_work_major=True,
        post_start_date=date(2018, 3, 1),
    )
    from shegong.workforce.services import training
    from shegong.workforce.services.profiles import certificate_record

    w.mentor = worker_create(
        acting_user=w.user,
        id_number=make_id_number("441881", date(1976, 4, 2), 65, "F"),
        employer=w.station,
        name="英德督导乙",
        education="master",
        social_work_major=True,
        approved_supervisor=True,
        post_start_date=date(2012, 3, 1),
    )
    w.certificate_held = certificate_record(
        worker=w.profile,
        acting_user=w.user,
        level="assistant",
        number="YD2019HOME0001",
        issued_on=date(2019, 6, 1),
    )
    w.course = training.course_create(
        acting_user=w.user,
        organiser=w.dept,
        title="英德社工实务培训",
        kind="practice",
        starts_on=today + timedelta(days=5),
        ends_on=today + timedelta(days=6),
        hours="8",
        capacity=10,
    )
    from shegong.workforce.services import mentoring

    w.pair = mentoring.pair_create(
        mentor=w.mentor,
        mentee=w.profile,
        acting_user=w.user,
        goals="英德带教目标",
        started_on=today - timedelta(days=10),
    )
    w.enrolment = training.enrolment_create(course=w.course, worker=w.profile, acting_user=w.user)
    w.round = careers.round_open(
        acting_user=w.province_user,
        title="广东省社会工作师职称评审",
        level="social_worker",
        year=today.year,
        closes_on=today + timedelta(days=45),
        min_education="college",
        min_years=3,
    )
    w.application = careers.application_create(
        acting_user=w.user,
        round=w.round,
        worker=w.profile,
        years_in_social_work=6,
        exam_passed_on=today - timedelta(days=100),
        achievements="英德业绩",
    )
    w.scheme = careers.scheme_create(acting_user=w.user, name="英德市考核方案")
    year = today.year - 1
    careers.appraisal_run(
        acting_user=w.user,
        scheme=w.scheme,
        period=str(year),
        start=date(year, 1, 1),
        end=date(year, 12, 31),
    )
    w.appraisal = w.profile.appraisals.get()


def _build_foreign(w) -> None:
    from shegong.cases import services as cases
    from shegong.funds import services as funds
    from shegong.orgs import services as orgs
    from shegong.people import services as people
    from shegong.people.models import Category
    from shegong.petitions import services as petitions
    from shegong.petitions.models import Category as MatterCategory
    from shegong.regions.models import Region
    from shegong.volunteers import services as volunteers
    from shegong.volunteers.models import Volunteer

    f = w.foreign
    worker = _member(w.foreign_station, "station_worker", f.worker_username, f.worker_name)
    admin = _member(w.foreign_dept, "sysadmin", "tianhe_admin_harness", "天河系统管理员甲")
    resident = people.resident_create(
        acting_user=worker,
        name=f.resident_name,
        id_number=f.resident_id,
        region=Region.objects.get(code=FOREIGN_VILLAGE),
        phone=f.resident_phone,
        address=f.resident_address,
        categories=[Category.objects.get(code="living_alone")],
        confirm_duplicates=True,
    )
    visit = people.visit_record(
        resident=resident, acting_user=worker, visited_on=timezone.localdate(), mode="home"
    )
    case = cases.case_open(
        acting_user=worker, resident=resident, title=f.case_title, source="visit", problem="独居"
    )
    matter = petitions.matter_register(
        acting_user=worker,
        kind="complaint",
        channel="visit",
        region_code=FOREIGN_TOWNSHIP,
        category=MatterCategory.objects.get(code="labour.wages"),
        title=f.matter_title,
        request=f.matter_request,
        petitioners=[
            {"name": f.petitioner_name, "phone": f.petitioner_phone, "id_number": f.petitioner_id}
        ],
    )
    volunteer = volunteers.volunteer_register(
        data={
            "name": f.volunteer_name,
            "id_number": f.volunteer_id,
            "phone": f.volunteer_phone,
            "region": FOREIGN_VILLAGE,
        },
        source=Volunteer.Source.ORGANISATION,
        acting_user=admin,
        consent=True,
    )
    team = volunteers.team_create(
        acting_user=admin, organisation=w.foreign_dept, name=f.team_name, kind="community"
    )
    volunteers.team_add_member(team=team, volunteer=volunteer, acting_user=admin)
    start = timezone.now() + timedelta(days=3)
    activity = volunteers.activity_create(
        acting_user=admin,
        organisation=w.foreign_dept,
        data={
            "title": f.activity_title,
            "description": "草稿",
            "service_type": "elderly",
            "beneficiaries": "长者",
            "address": "五山街道",
            "region": FOREIGN_TOWNSHIP,
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "auto_accept": True,
        },
        shifts=[],
        publish=False,
    )
    organisation = orgs.organisation_create(
        acting_user=admin,
        data={
            "name": f.organisation_name,
            "kind": "sw_organisation",
            "region": Region.objects.get(code=FOREIGN_DEPT_CODE),
            "credit_code": f.credit_code,
        },
    )
    donor = funds.donor_create(
        acting_user=admin, kind="person", name=f.donor_name, phone=f.donor_phone
    )
    donation = funds.donation_receive(
        acting_user=admin,
        organisation=w.foreign_dept,
        donor=donor,
        kind="money",
        amount=300_000,
        received_on=timezone.localdate(),
    )
    # 天河区's paired assistance with a third place (荔波县): seen by both of them, not by 英德市.
    libo = _org("荔波县委社会工作部", "sw_department", "522722000000")
    pairing = funds.pairing_create(
        acting_user=admin,
        giver=w.foreign_dept,
        receiver=libo,
        year=2026,
        agreed_amount=800_000,
        title="天河—荔波对口协作",
    )
    from shegong.privacy.services import consent_record
    from shegong.volunteers.applications import application_submit

    consent = consent_record(
        acting_user=worker,
        resident=resident,
        purpose="referral",
        basis="consent",
        method="written",
        given_by="self",
        given_on=timezone.localdate(),
    )
    application = application_submit(
        data={
            "name": f.applicant_name,
            "id_number": f.applicant_id,
            "phone": f.applicant_phone,
            "region": FOREIGN_VILLAGE,
        },
        consent=True,
        username=f.applicant_username,
        password="Zhiyuan@2026!t",
    )
    from shegong.orgs.services import duty_list_publish

    more = _build_foreign_units(w, admin=admin, worker=worker)
    more.update(_build_foreign_field(w, admin=admin, resident=resident))

    # A notification the foreign worker also gets by WeCom: a delivery in the outbound log.
    from shegong.inbox import services as inbox
    from shegong.inbox.models import Delivery
    from shegong.inbox.outbound import services as outbound

    outbound.preferences_save(acting_user=worker, chosen={("matter_due", "wecom")})
    inbox.notify(
        recipient_ids=[worker.pk],
        region_code=FOREIGN_TOWNSHIP,
        kind="matter_due",
        params={"number": matter.number, "title": f.matter_title, "due": "2026-12-31"},
        url=f"/petitions/{matter.pk}/",
        key="harness:foreign",
    )
    delivery = Delivery.objects.unscoped(reason="test world").get(recipient=worker)
    duty_list = duty_list_publish(
        acting_user=worker,
        organisation=w.foreign_station,
        items=[{"title": f.duty_title, "basis": "探针依据", "keywords": f.duty_keyword}],
    )
    f.matter_number = matter.number
    f.volunteer_number = volunteer.number
    f.receipt_number = donation.receipt_number
    f.case_number = case.number
    f.ids = {
        "resident": resident.pk,
        "matter": matter.pk,
        "volunteer": volunteer.pk,
        "case": case.pk,
        "organisation": organisation.pk,
        "worker": worker.pk,
        "membership": worker.active_membership.pk,
        "team": team.pk,
        "donation": donation.pk,
        "account": donation.account_id,
        "consent": consent.pk,
        "application": application.pk,
        "pairing": pairing.pk,
        "duty_list": duty_list.pk,
        "visit": visit.pk,
        "delivery": delivery.pk,
        "activity": activity.pk,
        **more,
    }


def _build_foreign_field(w, *, admin, resident) -> dict[str, int]:
    """天河区's field app: the administrator's phone, a visit it sent for the resident whose plan
    is the worker's (a conflict for 天河区's supervisors)."""
    from shegong.field import services as field
    from shegong.people.models import VisitPlan

    device = field.device_register(acting_user=admin, name="天河探针手机")
    plan = VisitPlan.objects.unscoped(reason="test world").get(resident=resident)
    w.foreign_device_id = str(device.pk)
    w.foreign_client_id = "6f1d0c8e-5b1a-4c3e-9d7f-0a1b2c3d4e5f"
    results = field.sync_records(
        acting_user=admin,
        device_id=w.foreign_device_id,
        records=[
            {
                "client_id": w.foreign_client_id,
                "kind": "visit",
                "recorded_at": timezone.now(),
                "payload": {"resident_id": resident.pk, "plan_id": plan.pk, "mode": "home"},
            }
        ],
    )
    assert results[0]["status"] == "conflict", results
    from shegong.field.models import FieldConflict

    conflict = FieldConflict.objects.unscoped(reason="test world").get(resident=resident)
    return {"field_conflict": conflict.pk, "field_submission": conflict.submission_id}


def _build_foreign_units(w, *, admin, worker) -> dict[str, int]:
    """天河区's directive and its station's copy and progress report, an inspection with a
    rectification item, a report form with its station's submitted values, a worker's title
    application, appraisal and reward."""
    from shegong.careers import services as careers
    from shegong.directives import services as directives
    from shegong.directives.models import DirectiveTarget
    from shegong.reporting import services as reporting
    from shegong.workforce.services.profiles import worker_create

    f = w.foreign
    today = timezone.localdate()
    directive = directives.directive_issue(
        acting_user=admin,
        title=f.directive_title,
        body=f.directive_body,
        level=4,
        due_days=20,
        upload=SimpleUploadedFile("tianhe.txt", b"tianhe", content_type="text/plain"),
    )

    def copy_of(found):
        return DirectiveTarget.objects.unscoped(reason="test world").get(
            directive=found, unit=w.foreign_station
        )

    directives.target_acknowledge(target=copy_of(directive), acting_user=worker)
    report = directives.progress_report(
        target=copy_of(directive), acting_user=worker, text=f.report_text
    )
    inspection = directives.inspection_record(
        acting_user=admin,
        kind="inspection",
        region_code=FOREIGN_TOWNSHIP,
        organisation=w.foreign_station,
        inspectors=f.inspectors,
        visited_on=today - timedelta(days=3),
        findings=f.findings,
    )
    rectification = directives.rectification_assign(
        inspection=inspection,
        acting_user=admin,
        items=[
            directives.Item(
                text=f.rectification_text,
                unit=w.foreign_station,
                due_date=today + timedelta(days=20),
            )
        ],
    )
    form = reporting.form_create(
        acting_user=admin, department=w.foreign_dept, name=f.form_name, due_days=10
    )
    served = reporting.element_create(acting_user=admin, form=form, code="served", label="服务人次")
    reporting.element_create(
        acting_user=admin, form=form, code="highlight", label="亮点", kind="text", required=False
    )
    women = reporting.element_create(
        acting_user=admin, form=form, code="women", label="其中女性", required=False
    )
    rule = reporting.rule_create(
        acting_user=admin,
        form=form,
        left="women",
        operator="le",
        right="served",
        name="女性不多于总数",
    )
    submission = reporting.submission_open(acting_user=worker, form=form, period_start=last_month())
    reporting.submission_values_save(
        acting_user=worker,
        submission=submission,
        values={"served": 9123457, "highlight": f.report_highlight},
    )
    reporting.submission_submit(submission=submission, acting_user=worker)
    profile = worker_create(
        acting_user=admin,
        id_number=f.profile_id,
        employer=w.foreign_station,
        name=f.profile_name,
        education="bachelor",
        social_work_major=True,
        post_start_date=date(2017, 3, 1),
    )
    application = careers.application_create(
        acting_user=admin,
        round=w.round,
        worker=profile,
        years_in_social_work=7,
        exam_passed_on=today - timedelta(days=100),
        achievements=f.achievements,
    )
    scheme = careers.scheme_create(acting_user=admin, name=f.scheme_name)
    year = today.year - 1
    careers.appraisal_run(
        acting_user=admin,
        scheme=scheme,
        period=str(year),
        start=date(year, 1, 1),
        end=date(year, 12, 31),
    )
    appraisal = profile.appraisals.get()
    careers.appraisal_review(
        acting_user=admin, appraisal=appraisal, supervisor_score=88, comment=f.appraisal_comment
    )
    conduct = careers.conduct_record(
        acting_user=admin,
        worker=profile,
        kind="reward",
        title=f.conduct_title,
        basis=f.conduct_basis,
        decided_on=today - timedelta(days=10),
        issuer="天河区委社会工作部",
    )
    guidance = careers.pay_guidance_set(
        acting_user=admin, year=today.year, monthly_yuan=6543, document=f.pay_document
    )
    pay = careers.worker_pay_set(
        acting_user=admin, worker=profile, year=today.year, monthly_yuan=6789
    )
    workforce = _build_foreign_workforce(w, admin=admin, profile=profile)
    from shegong.orgs.models import Organisation
    from shegong.party.services import party_organisation_create

    host = Organisation.objects.unscoped(reason="test world").get(name=f.organisation_name)
    party_org = party_organisation_create(
        acting_user=admin,
        name=f.party_org_name,
        kind="branch",
        host=host,
        is_joint=True,
        covered=[w.foreign_station],
        established_on=today - timedelta(days=400),
        secretary=f.party_secretary,
        members_count=6,
    )
    contact = _build_foreign_contact(w, admin=admin, worker=worker)
    brands = _build_foreign_brands(w, admin=admin)
    suggestions = _build_foreign_suggestions(w, worker=worker)
    return {
        **brands,
        **suggestions,
        **workforce,
        **contact,
        "pay_guidance": guidance.pk,
        "party_org": party_org.pk,
        "worker_pay": pay.pk,
        "directive": directive.pk,
        "target": copy_of(directive).pk,
        "progress_report": report.pk,
        "inspection": inspection.pk,
        "rectification": rectification.pk,
        "rectification_target": copy_of(rectification).pk,
        "form": form.pk,
        "form_element": women.pk,
        "form_served": served.pk,
        "form_rule": rule.pk,
        "submission": submission.pk,
        "profile": profile.pk,
        "title_application": application.pk,
        "scheme": scheme.pk,
        "appraisal": appraisal.pk,
        "conduct": conduct.pk,
        "directive_attachment": directive.attachments.get().pk,
        "indicator_report": _indicator_report(w),
        "indicator_subscription": _indicator_subscription(w),
    }


def _indicator_report(w) -> int:
    """天河's monthly report of last month, as the worker writes it."""
    from shegong.indicators.periods import MONTH, Period
    from shegong.indicators.services import monthly_report_create

    today = timezone.localdate()
    report = monthly_report_create(
        organisation=w.foreign_dept, period=Period.current(MONTH, today), today=today
    )
    return report.pk


def _indicator_subscription(w) -> int:
    """天河's department's weekly subscription to two indicators."""
    from shegong.indicators.models import Indicator, ReportSubscription

    subscription = ReportSubscription.objects.create(
        organisation=w.foreign_dept,
        region_code=w.foreign_dept.region_id,
        name=w.foreign.subscription_name,
        frequency="weekly",
    )
    subscription.indicators.set(
        Indicator.objects.filter(code__in=["satisfaction_rate", "visit_on_time_rate"])
    )
    return subscription.pk


def _build_foreign_workforce(w, *, admin, profile) -> dict[str, int]:
    """The foreign worker's certificate, registration, external hours, course enrolment, and a
    mentor (an approved supervisor) with a session."""
    from shegong.workforce.services import mentoring, training
    from shegong.workforce.services.profiles import certificate_record, worker_create

    f = w.foreign
    today = timezone.localdate()
    certificate = certificate_record(
        worker=profile,
        acting_user=admin,
        level="social_worker",
        number=f.certificate_no,
        issued_on=today - timedelta(days=60),
    )
    registration = training.registration_record(
        certificate=certificate, acting_user=admin, registered_on=today - timedelta(days=30)
    )
    external = training.external_submit(
        worker=profile,
        acting_user=admin,
        title=f.external_title,
        provider="天河培训中心",
        kind="theory",
        completed_on=today - timedelta(days=5),
        hours="6",
        evidence="结业证书",
    )
    course = training.course_create(
        acting_user=admin,
        organiser=w.foreign_dept,
        title=f.course_title,
        kind="practice",
        starts_on=today + timedelta(days=5),
        ends_on=today + timedelta(days=6),
        hours="8",
        capacity=10,
    )
    enrolment = training.enrolment_create(course=course, worker=profile, acting_user=admin)
    mentor = worker_create(
        acting_user=admin,
        id_number=f.mentor_id,
        employer=w.foreign_station,
        name=f.mentor_name,
        education="master",
        social_work_major=True,
        approved_supervisor=True,
        post_start_date=date(2010, 3, 1),
    )
    pair = mentoring.pair_create(
        mentor=mentor,
        mentee=profile,
        acting_user=admin,
        goals=f.mentoring_goals,
        started_on=today - timedelta(days=10),
    )
    session = mentoring.session_record(
        pair=pair,
        acting_user=admin,
        held_on=today - timedelta(days=1),
        kind="theory",
        hours="2",
        topic=f.session_topic,
    )
    return {
        "certificate": certificate.pk,
        "registration": registration.pk,
        "external": external.pk,
        "course": course.pk,
        "enrolment": enrolment.pk,
        "mentor": mentor.pk,
        "pair": pair.pk,
        "session": session.pk,
    }


def _build_foreign_contact(w, *, admin, worker) -> dict[str, int]:
    """天河区's station meeting, with minutes, an attachment and two items: one answered and fed
    back to the invited account, one still to assign."""
    from shegong.contact import services as contact

    f = w.foreign
    meeting = contact.meeting_plan(
        acting_user=worker,
        kind="residents",
        title=f.contact_title,
        held_on=timezone.localdate() - timedelta(days=2),
        place="五山街道社工站会议室",
        agenda=f.contact_agenda,
    )
    invitation = contact.invitation_add(
        meeting=meeting, acting_user=worker, kind="account", reference=admin
    )
    contact.meeting_hold(meeting=meeting, acting_user=worker)
    answered = contact.item_record(
        meeting=meeting,
        acting_user=worker,
        raiser=invitation,
        text=f.contact_item_text,
        consent_publish=True,
    )
    open_item = contact.item_record(
        meeting=meeting, acting_user=worker, raiser=invitation, text=f.contact_item_text + "乙"
    )
    contact.item_assign(item=answered, acting_user=worker, unit=w.foreign_station)
    answered.refresh_from_db()
    contact.item_answer(item=answered, acting_user=worker, answer=f.contact_answer)
    answered.refresh_from_db()
    contact.item_feed_back(item=answered, acting_user=worker)
    contact.meeting_minutes_record(
        meeting=meeting,
        acting_user=worker,
        minutes=f.contact_minutes,
        attachment=SimpleUploadedFile("minutes.txt", b"minutes", content_type="text/plain"),
    )
    return {
        "contact_meeting": meeting.pk,
        "contact_invitation": invitation.pk,
        "contact_item": answered.pk,
        "contact_open_item": open_item.pk,
        "contact_attachment": meeting.attachments.get().pk,
    }


def _build_foreign_brands(w, *, admin) -> dict[str, int]:
    """天河区's unrecognised brand applying for recognition, with a year's target, and its draft
    practice with a figure and a document."""
    from shegong.brands import services as brands
    from shegong.practices import services as practices

    f = w.foreign
    brand = brands.brand_register(
        acting_user=admin,
        name=f.brand_name,
        kind="party",
        owner=w.foreign_station,
        description="天河探针品牌简介",
        started_on=date(2024, 1, 1),
    )
    brands.target_set(
        acting_user=admin,
        brand=brand,
        year=timezone.localdate().year,
        reach=10,
        hours=Decimal("100"),
        satisfaction=Decimal("0.9"),
    )
    recognition = brands.recognition_apply(
        acting_user=admin, brand=brand, level="county", statement=f.brand_statement
    )
    practice = practices.practice_create(
        acting_user=admin,
        title=f.practice_title,
        topic="elderly",
        problem=f.practice_problem,
        actions="天河探针做法",
        results="天河探针成效",
        figures=[{"label": "天河探针指标", "value": "12", "unit": "%"}],
    )
    document = practices.document_add(
        acting_user=admin,
        practice=practice,
        upload=SimpleUploadedFile("practice.txt", b"practice", content_type="text/plain"),
    )
    return {
        "brand": brand.pk,
        "recognition": recognition.pk,
        "practice": practice.pk,
        "practice_document": document.pk,
    }


def _build_foreign_suggestions(w, *, worker) -> dict[str, int]:
    """天河区's suggestions: one answered but not published (with the resident's name and
    contact), one waiting, and one published (its anonymised text and answer are public)."""
    from shegong.suggestions import services as suggestions

    f = w.foreign
    answered = suggestions.suggestion_submit(
        region_code=FOREIGN_VILLAGE,
        text=f.suggestion_text,
        name=f.suggestion_name,
        contact=f.suggestion_contact,
        contact_consent=True,
    )
    suggestions.suggestion_answer(
        suggestion=answered, acting_user=worker, answer=f.suggestion_answer
    )
    waiting = suggestions.suggestion_submit(
        region_code=FOREIGN_VILLAGE, text=f.suggestion_text + "，希望就近开设"
    )
    published = suggestions.suggestion_submit(
        region_code=FOREIGN_VILLAGE, text="公开探针：社区健身器材损坏希望更换"
    )
    suggestions.suggestion_answer(suggestion=published, acting_user=worker, answer="已更换")
    published.refresh_from_db()
    suggestions.suggestion_publish(suggestion=published, acting_user=worker)
    return {
        "suggestion": answered.pk,
        "suggestion_waiting": waiting.pk,
        "suggestion_published": published.pk,
    }


def build_world():
    """The home county's objects, then (with foreign ids) the foreign county's records."""
    w = SimpleNamespace(foreign=Foreign())
    w.foreign_dept = _org("天河区委社会工作部", "sw_department", FOREIGN_DEPT_CODE)
    w.foreign_station = _org("五山街道社工站", "sw_station", FOREIGN_TOWNSHIP)
    # The province above both counties: it sends directives and opens title rounds.
    w.province = _org("广东省委社会工作部", "sw_department", "440000000000")
    w.province_user = _member(w.province, "dept_leader", "gd_leader", "广东领导")
    _build_public_library(w)
    _build_home(w)
    advance_ids(FOREIGN_IDS.start)
    _build_foreign(w)
    advance_ids(PROBE_IDS_START)
    return w

"""The rules of the social work qualification, kept as data with their sources.

- Exam eligibility (`EXAM_RULES`): who may sit which level's exam, by education, major, years
  of social work and the certificate already held (国人部发〔2006〕71号; the senior level by
  人社部发〔2018〕2号). `exam_eligibility(...)` reads the table; `exam_rule_q(...)` turns the
  same rows into a database condition, so the pipeline count (`selectors.exam_pipeline`) and a
  single profile's answer can never disagree.
- Registration and continuing education (`REGISTRATION`, `CE_HOURS`): first registration within
  1 year of certification, each registration valid 3 years, renewed on the period's
  continuing-education hours (assistant ≥ 72, social worker and senior ≥ 90).

Years of social work are counted in full years up to 31 December of the exam year (the exam
notices count "截至考试当年年底"): work begun on 1 January 2021 gives 2 full years at the end of
2023, begun on 31 December 2020 gives 3.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.workforce.models import Education, QualificationLevel

A = QualificationLevel.ASSISTANT.value
S = QualificationLevel.SOCIAL_WORKER.value
H = QualificationLevel.SENIOR.value
LEVEL_ORDER = (A, S, H)
RANK = {level: i + 1 for i, level in enumerate(LEVEL_ORDER)}

HIGH_SCHOOL = Education.HIGH_SCHOOL.value
COLLEGE = Education.COLLEGE.value
BACHELOR = Education.BACHELOR.value
MASTER = Education.MASTER.value
DOCTORATE = Education.DOCTORATE.value
BACHELOR_OR_HIGHER = (BACHELOR, MASTER, DOCTORATE)

SOURCE_2006 = "国人部发〔2006〕71号《社会工作者职业水平评价暂行规定》"
SOURCE_2018 = "人社部发〔2018〕2号《高级社会工作师评价办法》"
SOURCE_REGISTRATION = "民发〔2009〕44号《社会工作者职业水平证书登记办法》"
SOURCE_CE = "民发〔2009〕44号《社会工作者继续教育办法》"


@dataclass(frozen=True)
class ExamRule:
    """One way to qualify for a level's exam."""

    level: str
    education: tuple[str, ...]
    social_work_major: bool | None  # None: any major
    years: int  # full years of social work by 31 December of the exam year
    requires: str = ""  # a level whose certificate must be held
    # "work": years of social work; "certificate": years since the required certificate
    years_from: str = "work"
    source: str = SOURCE_2006
    label: str = ""


EXAM_RULES: tuple[ExamRule, ...] = (
    # 助理社会工作师
    ExamRule(A, (HIGH_SCHOOL,), None, 4, label=gettext_lazy("高中或中专，从事社会工作满4年")),
    ExamRule(A, (COLLEGE,), True, 2, label=gettext_lazy("社会工作专业大专，从事社会工作满2年")),
    ExamRule(A, BACHELOR_OR_HIGHER, True, 0, label=gettext_lazy("社会工作专业本科及以上")),
    ExamRule(A, (COLLEGE,), False, 4, label=gettext_lazy("其他专业大专，从事社会工作满4年")),
    ExamRule(
        A, BACHELOR_OR_HIGHER, False, 2, label=gettext_lazy("其他专业本科及以上，从事社会工作满2年")
    ),
    # 社会工作师
    ExamRule(
        S,
        (HIGH_SCHOOL,),
        None,
        6,
        requires=A,
        label=gettext_lazy("高中或中专，取得助理社会工作师资格，从事社会工作满6年"),
    ),
    ExamRule(S, (COLLEGE,), True, 4, label=gettext_lazy("社会工作专业大专，从事社会工作满4年")),
    ExamRule(S, (BACHELOR,), True, 3, label=gettext_lazy("社会工作专业本科，从事社会工作满3年")),
    ExamRule(S, (MASTER,), True, 1, label=gettext_lazy("社会工作专业硕士，从事社会工作满1年")),
    ExamRule(S, (DOCTORATE,), True, 0, label=gettext_lazy("社会工作专业博士")),
    ExamRule(S, (COLLEGE,), False, 6, label=gettext_lazy("其他专业大专，从事社会工作满6年")),
    ExamRule(S, (BACHELOR,), False, 5, label=gettext_lazy("其他专业本科，从事社会工作满5年")),
    ExamRule(S, (MASTER,), False, 3, label=gettext_lazy("其他专业硕士，从事社会工作满3年")),
    ExamRule(S, (DOCTORATE,), False, 2, label=gettext_lazy("其他专业博士，从事社会工作满2年")),
    # 高级社会工作师（考试与评审相结合）
    ExamRule(
        H,
        BACHELOR_OR_HIGHER,
        None,
        5,
        requires=S,
        years_from="certificate",
        source=SOURCE_2018,
        label=gettext_lazy("本科及以上，取得社会工作师资格后从事社会工作满5年"),
    ),
)

# The senior exam pass stays valid for the review for 3 years (人社部发〔2018〕2号).
SENIOR_EXAM_PASS_VALID_YEARS = 3


def full_years(start: date | None, at: date) -> int:
    """Full years from `start` to `at` (0 when not started or started later)."""
    if start is None or start > at:
        return 0
    years = at.year - start.year
    if (at.month, at.day) < (start.month, start.day):
        years -= 1
    return years


def year_end(year: int) -> date:
    return date(year, 12, 31)


def cutoff(year: int, years: int) -> date:
    """The latest start date that gives `years` full years by the end of `year`."""
    return date(year - years, 12, 31)


@dataclass(frozen=True)
class Facts:
    education: str
    social_work_major: bool
    years: int  # full years of social work by the end of the exam year
    holds: frozenset[str] = frozenset()  # levels whose certificate is held
    years_since: tuple[tuple[str, int], ...] = ()  # (level, full years since its certificate)

    def since(self, level: str) -> int:
        return dict(self.years_since).get(level, 0)


@dataclass(frozen=True)
class LevelAnswer:
    level: str
    eligible: bool
    rule: ExamRule | None  # the rule met (or the nearest one, when not eligible)
    lacking: str  # what is missing ("" when eligible)

    @property
    def level_label(self) -> str:
        return str(QualificationLevel(self.level).label)


@dataclass(frozen=True)
class Eligibility:
    year: int
    answers: tuple[LevelAnswer, ...]  # one per level not yet held, lowest first
    held: str  # the highest level held ("" for none)

    @property
    def level(self) -> str:
        """The highest level whose exam may be sat this year ("" for none)."""
        found = [a.level for a in self.answers if a.eligible]
        return found[-1] if found else ""

    @property
    def lacking(self) -> str:
        """When no exam may be sat: what the next level lacks."""
        if self.level or not self.answers:
            return ""
        return self.answers[0].lacking


def _shortfall(rule: ExamRule, facts: Facts) -> tuple[int, str] | None:
    """None when `rule` is met; otherwise (how far, what is missing)."""
    if facts.education not in rule.education:
        return None  # not this rule's education: another rule is nearer
    if rule.social_work_major is not None and rule.social_work_major != facts.social_work_major:
        return None
    missing: list[str] = []
    gap = 0
    if rule.requires and rule.requires not in facts.holds:
        missing.append(
            _("需先取得%(level)s证书") % {"level": QualificationLevel(rule.requires).label}
        )
        gap += 100
    have = facts.since(rule.requires) if rule.years_from == "certificate" else facts.years
    if have < rule.years:
        if rule.years_from == "certificate":
            missing.append(
                _("取得%(level)s证书后还需从事社会工作 %(n)d 年")
                % {"level": QualificationLevel(rule.requires).label, "n": rule.years - have}
            )
        else:
            missing.append(_("还需从事社会工作 %(n)d 年") % {"n": rule.years - have})
        gap += rule.years - have
    if not missing:
        return 0, ""
    return gap, "；".join(missing)


def _answer(level: str, facts: Facts) -> LevelAnswer:
    rules = [r for r in EXAM_RULES if r.level == level]
    nearest: tuple[int, str, ExamRule] | None = None
    for rule in rules:
        found = _shortfall(rule, facts)
        if found is None:
            continue
        gap, missing = found
        if gap == 0:
            return LevelAnswer(level, True, rule, "")
        if nearest is None or gap < nearest[0]:
            nearest = (gap, missing, rule)
    if nearest is None:
        allowed = sorted(
            {e for r in rules for e in r.education}, key=lambda e: list(Education.values).index(e)
        )
        return LevelAnswer(
            level,
            False,
            None,
            _("学历需为%(list)s") % {"list": "、".join(str(Education(e).label) for e in allowed)},
        )
    return LevelAnswer(level, False, nearest[2], nearest[1])


def eligibility_of_facts(facts: Facts, year: int) -> Eligibility:
    held = max(facts.holds, key=RANK.get, default="")
    answers = tuple(
        _answer(level, facts) for level in LEVEL_ORDER if RANK[level] > RANK.get(held, 0)
    )
    return Eligibility(year=year, answers=answers, held=held)


def exam_eligibility(
    profile=None,
    *,
    year: int,
    education: str = "",
    social_work_major: bool = False,
    years: int | None = None,
    holds_assistant: bool = False,
    holds_social_worker: bool = False,
    years_as_social_worker: int = 0,
    certificates=None,
) -> Eligibility:
    """Which exam `profile` (or the facts given) may sit in `year`, and if none, what is lacking.

    With a profile, its certificates may be passed (already fetched) to spare a query."""
    if profile is not None:
        end = year_end(year)
        certs = list(profile.certificates.all()) if certificates is None else list(certificates)
        first_of: dict[str, date] = {}
        for c in certs:
            if c.issued_on <= end and (c.level not in first_of or c.issued_on < first_of[c.level]):
                first_of[c.level] = c.issued_on
        facts = Facts(
            education=profile.education,
            social_work_major=profile.social_work_major,
            years=full_years(profile.social_work_start_date, end),
            holds=frozenset(first_of),
            years_since=tuple((lv, full_years(d, end)) for lv, d in first_of.items()),
        )
        return eligibility_of_facts(facts, year)
    holds = set()
    if holds_assistant:
        holds.add(A)
    if holds_social_worker:
        holds.add(S)
    facts = Facts(
        education=education,
        social_work_major=social_work_major,
        years=years or 0,
        holds=frozenset(holds),
        years_since=((S, years_as_social_worker),) if holds_social_worker else (),
    )
    return eligibility_of_facts(facts, year)


# ---- the same rules as database conditions (for counting a subtree at once) --------------------


def _holds_q(level: str, *, by: date) -> Q:
    from shegong.workforce.models import Certificate

    return Q(
        Exists(
            Certificate.objects.unscoped(
                reason="A correlated check on the outer profile's own certificates."
            ).filter(worker=OuterRef("pk"), level=level, issued_on__lte=by)
        )
    )


def exam_rule_q(rule: ExamRule, year: int) -> Q:
    """The profiles that meet `rule` in `year`, as a condition on WorkerProfile."""
    q = Q(education__in=rule.education)
    if rule.social_work_major is not None:
        q &= Q(social_work_major=rule.social_work_major)
    if rule.years_from == "certificate":
        q &= _holds_q(rule.requires, by=cutoff(year, rule.years))
    else:
        if rule.years:
            q &= Q(social_work_start_date__lte=cutoff(year, rule.years))
        if rule.requires:
            q &= _holds_q(rule.requires, by=year_end(year))
    return q


def level_q(level: str, year: int) -> Q:
    """Profiles who may sit `level`'s exam in `year` and do not hold it (or higher) yet."""
    q = Q(pk__in=[])
    for rule in EXAM_RULES:
        if rule.level == level:
            q |= exam_rule_q(rule, year)
    for held in LEVEL_ORDER[LEVEL_ORDER.index(level) :]:
        q &= ~_holds_q(held, by=year_end(year))
    return q


# ---- registration and continuing education ----------------------------------------------------

REGISTRATION_VALID_YEARS = 3
FIRST_REGISTRATION_WITHIN_YEARS = 1
CE_HOURS = {A: Decimal(72), S: Decimal(90), H: Decimal(90)}

REGISTRATION_RULES = (
    (gettext_lazy("取得证书后 1 年内首次登记"), SOURCE_REGISTRATION),
    (gettext_lazy("登记有效期 3 年，期满前申请再登记"), SOURCE_REGISTRATION),
    (
        gettext_lazy(
            "每个登记有效期内继续教育：助理社会工作师不少于 72 小时，社会工作师、高级社会工作师不少于 90 小时"
        ),
        SOURCE_CE,
    ),
    (
        gettext_lazy(
            "超过 1 年未首次登记或登记已失效的，须有近 3 年内满足学时要求的继续教育证明方可登记"
        ),
        SOURCE_REGISTRATION,
    ),
)


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def valid_until(valid_from: date) -> date:
    """The last day of a registration starting `valid_from`: 3 years less a day."""
    return add_years(valid_from, REGISTRATION_VALID_YEARS) - timedelta(days=1)


def first_registration_deadline(issued_on: date) -> date:
    """The last day to register a certificate without continuing-education evidence."""
    return add_years(issued_on, FIRST_REGISTRATION_WITHIN_YEARS)


def ce_required(level: str) -> Decimal:
    return CE_HOURS[level]


def mentoring_cap(level: str) -> Decimal:
    """How many of a period's hours may come from mentoring (a local rule, a setting: by
    default a third of the requirement, 24 of 72 and 30 of 90)."""
    share = Decimal(str(getattr(settings, "SHEGONG_WORKFORCE_MENTORING_CE_SHARE", "0.3333")))
    return (CE_HOURS[level] * share).quantize(Decimal("1"))


def credited_total(level: str, *, courses_and_external: Decimal, mentoring: Decimal) -> Decimal:
    """The hours a period counts: courses and approved external hours in full, mentoring up to
    its cap."""
    return courses_and_external + min(mentoring, mentoring_cap(level))


def hours_needed(level: str, credited: Decimal) -> Decimal:
    return max(Decimal(0), CE_HOURS[level] - credited)

"""Sample data at scale (`servplan sample`): offices 「範例第 0001 區營業處」… with people, plans
and half-yearly self-assessments in every status, for the board, the comparison, the lists,
the public search and the benchmarks (bench/scale.py).

Everything comes from one random.Random(seed) and fixed dates (the periods end with 113 年度
7 月至 12 月), so the same seed gives the same data. Rows are written with bulk inserts, period
by period, in the shapes the domain functions make (one CellScore and one Finding per rubric
cell, the sign-off chain's rows since the submit, HQ's acceptance on the submit, a release per
released period, improvements carried over while not done, publications with their frozen
content, content hash and search passages). What the sample leaves out, because rendering it
would take hours at 2,000 offices: the signed PDF copies (SignedCopy) and the assessments'
sign-off content hashes, and the published PDF/ODT files (sample publications carry their data
files, CSV and JSON, only).

Sample offices are told apart by their code (S0001 …, never a real office's code) and name;
their people's usernames start with `sample-`. A database holding a sample refuses another
unless asked to replace it (delete_sample removes every sample row first).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from servplan.core.errors import Conflict, DomainError
from servplan.core.roc import Period, from_roc_year

CODE_PREFIX = "S"
CODE_RE = re.compile(r"^S\d{4,}$")
USER_PREFIX = "sample-"
HQ_USERNAME = "sample-hq"
REGIONS = ("北部", "中部", "南部", "東部")
LATEST = Period(113, 7, 12)  # the sample's newest period: before the demo's 114 records
BATCH = 2000
CHAIN = ("clerk", "section_chief", "manager", "deputy_director", "director")
SAMPLE_NOTE = "範例資料（servplan sample）"


def office_code(n: int) -> str:
    return f"{CODE_PREFIX}{n:04d}"


def office_name(n: int) -> str:
    return f"範例第 {n:04d} 區營業處"


def sample_offices():
    """The sample's offices (by their code: S followed by digits, which no real office has)."""
    from servplan.offices.models import Office

    return Office.objects.filter(code__regex=r"^S[0-9]{4,}$")


def is_sample_username(username: str) -> bool:
    return username.startswith(USER_PREFIX)


def periods_back(count: int, latest: Period = LATEST) -> list[Period]:
    """`count` half years ending with `latest`, oldest first."""
    out = []
    year, first = latest.roc_year, latest.start_month == 1
    for _ in range(count):
        out.append(Period(year, 1, 6) if first else Period(year, 7, 12))
        if first:
            year -= 1
        first = not first
    return out[::-1]


# ---- phrase banks ---------------------------------------------------------------------------

SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯翁魏孫戴"
GIVEN = "志明淑芬雅婷家豪怡君俊傑美玲宗翰佳穎冠宇欣怡建宏曉雯承恩詩涵文彬秀英國華惠萍明哲韻如"

OPENINGS = [
    "本處於本期",
    "本期持續",
    "為落實服務效能提升，本處",
    "配合總處政策，本處",
    "依年度執行計畫，本處",
    "針對轄區用戶需求，本處",
]
ACTIONS = [
    "推動電子帳單及行動支付，累計申辦 {n} 戶",
    "辦理偏鄉巡迴服務 {n} 場次，協助高齡用戶申辦用電業務",
    "簡化用電申請表單，平均處理天數由 {a} 天縮短為 {b} 天",
    "與地方政府及社區合作辦理節電宣導 {n} 場",
    "設置無障礙服務櫃台及友善停車位，並完成 {n} 處設施檢修",
    "建置線上預約臨櫃服務，受理 {n} 件",
    "推廣電子帳單取代紙本帳單，減少紙張 {n} 張",
    "辦理服務人員教育訓練 {n} 小時，強化法規及流程熟悉度",
    "結合志工團體訪視弱勢用戶 {n} 戶，提供用電安全檢查",
    "於官網及 APP 主動公開停電及工程資訊 {n} 則",
    "辦理用戶滿意度問卷調查，回收有效問卷 {n} 份",
    "與在地學校合作推動能源教育，參與學生 {n} 人",
]
RESULTS = [
    "用戶滿意度達 {p}%，較上期提升。",
    "相關措施已納入標準作業程序持續辦理。",
    "執行成果良好，將擴大推廣至其他服務據點。",
    "民眾反映正面，申訴案件較去年同期減少 {p}%。",
    "已達成年度目標值 {p}%。",
    "惟部分偏遠地區參與度仍有提升空間，將持續改善。",
]
TYPO_PHRASES = ["並請同仁填寫問券以瞭解需求。", "服務人員嫓熟各項申請作業。"]
STRENGTHS = [
    "主動發掘用戶需求，措施具在地特色。",
    "跨單位合作順暢，執行進度超前。",
    "數位服務推廣成效顯著。",
    "服務流程標準化，處理時效穩定。",
]
WEAKNESSES = [
    "成果資料佐證不足，部分數據未能量化。",
    "宣導活動集中於市區，偏鄉涵蓋率偏低。",
    "部分措施與前期內容重複，創新程度有限。",
    "滿意度調查樣本數偏少。",
]
RECOMMENDATIONS = [
    "建議建立成效追蹤指標，按季檢討執行情形。",
    "建議擴大偏鄉及弱勢用戶之服務涵蓋範圍。",
    "建議強化電子帳單推廣並追蹤轉換率。",
    "建議檢討無障礙設施標示及動線。",
    "建議整合志工資源，提升關懷服務量能。",
]
PROGRESS = [
    "已訂定追蹤指標，本季完成第一次檢討。",
    "已增加偏鄉巡迴服務場次，持續辦理中。",
    "已於帳單及官網加強宣導，轉換率逐月上升。",
    "已完成設施改善，並請用戶試用回饋。",
    "已洽談合作單位，預計下季啟動。",
]
REVIEW_COMMENTS = ["佐證資料完整。", "成效數據請再補充。", "與前期內容相近，請說明差異。", ""]
GOALS = [
    "提升服務品質與效率，落實以客為尊之服務理念。",
    "推動數位服務，提供便捷、友善之用電服務。",
    "強化在地關懷，照顧偏鄉及弱勢用戶。",
]
TARGETS = ["本處轄區全體用戶及洽公民眾。", "本處全體同仁。"]
STEPS = [
    "成立推動小組，訂定年度執行計畫。",
    "各組依分工辦理具體作法。",
    "每季檢討執行情形並提報成果。",
    "年底辦理自行考核並提出改善建議。",
]
SUPPLEMENTARY = ["本計畫陳處長核准後實施，修正時亦同。", "本計畫未盡事宜，依總處相關規定辦理。"]
PRACTICE_NOTES = [
    "並結合轄區特性辦理。",
    "本處另於服務中心提供預約服務。",
    "配合地方活動加強宣導。",
]
NOT_APPLICABLE = ["本處轄區無此類服務據點。", "本項由總處統一辦理。"]


# ---- helpers --------------------------------------------------------------------------------


@contextmanager
def _explicit_timestamps(*models):
    """Let bulk inserts keep the timestamps the sample gives (auto_now/auto_now_add would set
    them all to now); restored afterwards."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    """A working-hours moment of `day` in the site's time zone."""
    naive = dt.datetime.combine(day, dt.time(8 + rng.randrange(9), rng.randrange(60)))
    return timezone.make_aware(naive)


def _half(value: float, top: Decimal) -> Decimal:
    """A whole or half point between 0 and top."""
    return min(top, max(Decimal(0), Decimal(round(value * 2)) / 2))


def _quarters(period: Period) -> list[tuple[int, int]]:
    first = 1 if period.start_month == 1 else 3
    return [(period.roc_year, first), (period.roc_year, first + 1)]


def _next_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def _quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    return dt.date(from_roc_year(year), month, 28)


@dataclass
class OfficeState:
    """What one sample office carries from period to period while the sample is made."""

    pk: int
    n: int
    quality: float  # how well the office scores (0.55 … 0.95)
    users: dict[str, object]
    narratives: list[str] = field(default_factory=list)  # last period's, by cell
    # cell index → [improvement, last period index it is carried to, follow-ups]
    improvements: dict[int, list] = field(default_factory=dict)


@dataclass
class SampleReport:
    offices: int = 0
    periods: int = 0
    assessments: int = 0
    plans: int = 0
    results_published: int = 0
    plans_published: int = 0
    search_passages: int = 0
    statuses: dict[str, int] = field(default_factory=dict)


# ---- removing a sample ----------------------------------------------------------------------


def has_sample() -> bool:
    return sample_offices().exists()


@transaction.atomic
def delete_sample(*, progress: Callable[[str], None] = lambda _: None) -> int:
    """Delete every sample row: its offices' records, people, plans and publications, and the
    periods and releases only the sample's HQ user made and no other office's record is in.
    Real offices and their records are not touched. Returns the number of offices removed.
    """
    from servplan.assessments.models import Assessment, Improvement
    from servplan.audit.models import AuditEntry
    from servplan.offices.models import Membership
    from servplan.periods.models import AssessmentPeriod, DeadlineOverride
    from servplan.plans.models import OfficePlan
    from servplan.programs.models import Outline
    from servplan.public.models import PlanPublication, ResultsPublication, SearchDocument
    from servplan.review.models import ReviewRelease

    offices = list(sample_offices().values_list("pk", flat=True))
    User = get_user_model()
    hq = User.objects.filter(username=HQ_USERNAME).first()
    if not offices and hq is None:
        return 0
    progress(f"刪除先前的範例資料（{len(offices)} 個範例區營業處）…")
    assessments = Assessment.objects.filter(office_id__in=offices)
    plans = OfficePlan.objects.filter(office_id__in=offices)
    SearchDocument.objects.filter(office_id__in=offices).delete()
    ResultsPublication.objects.filter(assessment__office_id__in=offices).delete()
    PlanPublication.objects.filter(plan__office_id__in=offices).delete()
    AuditEntry.objects.filter(
        Q(assessment_id__in=assessments.values("pk")) | Q(plan_id__in=plans.values("pk"))
    ).delete()
    outlines = list(plans.values_list("outline_id", flat=True))
    plans.delete()
    Outline.objects.filter(pk__in=outlines).delete()
    Improvement.objects.filter(office_id__in=offices).delete()
    assessments.delete()
    DeadlineOverride.objects.filter(office_id__in=offices).delete()
    if hq is not None:
        mine = AssessmentPeriod.objects.filter(opened_by=hq)
        for p in mine:
            if not Assessment.objects.filter(**p.period.as_dict()).exists():
                ReviewRelease.objects.filter(**p.period.as_dict(), released_by=hq).delete()
                AuditEntry.objects.filter(
                    object_type="periods.assessmentperiod", object_id=p.pk
                ).delete()
                p.delete()
    users = User.objects.filter(username__startswith=USER_PREFIX)
    Membership.objects.filter(user__in=users).delete()
    users.delete()
    from servplan.offices.models import Office

    Office.departments.through.objects.filter(office_id__in=offices).delete()
    Office.objects.filter(pk__in=offices).delete()
    return len(offices)


# ---- making a sample ------------------------------------------------------------------------


class Generator:
    def __init__(self, *, offices: int, periods: int, seed: int, publish: bool, progress) -> None:
        self.publish = publish
        self.n_offices = offices
        self.n_periods = periods
        self.seed = seed
        self.rng = random.Random(seed)
        self.progress = progress
        self.report = SampleReport()

    # -- offices and people -------------------------------------------------------------------

    def _name(self) -> str:
        r = self.rng
        return r.choice(SURNAMES) + r.choice(GIVEN[::2]) + r.choice(GIVEN[1::2])

    def make_offices(self) -> list[OfficeState]:
        from servplan.offices.models import Department, Membership, Office, Role

        User = get_user_model()
        start = (
            Office.objects.order_by("-position").values_list("position", flat=True).first()
        ) or 0
        departments = list(Department.objects.order_by("position"))
        rows = [
            Office(
                name=office_name(n),
                code=office_code(n),
                region=REGIONS[(n - 1) % len(REGIONS)],
                position=start + n,
                active=True,
            )
            for n in range(1, self.n_offices + 1)
        ]
        Office.objects.bulk_create(rows, batch_size=BATCH)
        links = []
        for office in rows:
            chosen = [d for d in departments if self.rng.random() < 0.85] or departments[:1]
            links += [
                Office.departments.through(office_id=office.pk, department_id=d.pk) for d in chosen
            ]
        Office.departments.through.objects.bulk_create(links, batch_size=BATCH)
        hq = User(username=HQ_USERNAME, first_name="範例總處複評人員")
        hq.set_unusable_password()
        hq.save()
        Membership.objects.create(user=hq, role=Role.HQ_REVIEWER)
        self.hq = hq
        users, members = [], []
        for office in rows:
            for role in CHAIN:
                u = User(
                    username=f"{USER_PREFIX}{office.code.lower()}-{role.replace('_', '-')}",
                    first_name=self._name(),
                    password="!sample",  # unusable: nobody signs in as a sample person
                )
                users.append((office, role, u))
        User.objects.bulk_create([u for _, _, u in users], batch_size=BATCH)
        members = [Membership(user=u, office=o, role=role) for o, role, u in users]
        Membership.objects.bulk_create(members, batch_size=BATCH)
        states = {
            o.pk: OfficeState(pk=o.pk, n=n, quality=0.55 + 0.4 * self.rng.random(), users={})
            for n, o in enumerate(rows, 1)
        }
        for office, role, u in users:
            states[office.pk].users[role] = u
        self.office_rows = rows
        self.report.offices = len(rows)
        return list(states.values())

    # -- narratives ---------------------------------------------------------------------------

    def narrative(self) -> str:
        r = self.rng
        text = r.choice(OPENINGS) + r.choice(ACTIONS).format(
            n=r.randrange(12, 4000), a=r.randrange(8, 15), b=r.randrange(3, 8)
        )
        text += "，" + r.choice(RESULTS).format(p=r.randrange(70, 99))
        if r.random() < 0.3:
            text += r.choice(RESULTS).format(p=r.randrange(5, 30))
        if r.random() < 0.03:
            text += r.choice(TYPO_PHRASES)
        return text

    # -- periods ------------------------------------------------------------------------------

    def open_period(self, period: Period, index: int):
        """The AssessmentPeriod (reused when HQ opened it already) and its deadline."""
        from servplan.audit.models import AuditEntry
        from servplan.periods.models import AssessmentPeriod, PeriodStatus

        row = AssessmentPeriod.objects.filter(**period.as_dict()).first()
        if row is not None:
            return row
        end = dt.date(from_roc_year(period.roc_year), period.end_month, 28)
        deadline = end + dt.timedelta(days=18)
        opened = _at(end - dt.timedelta(days=20), self.rng)
        with _explicit_timestamps(AssessmentPeriod):
            row = AssessmentPeriod.objects.create(
                **period.as_dict(),
                rubric=self.rubric,
                deadline=deadline,
                opened_by=self.hq,
                opened_at=opened,
                status=PeriodStatus.OPEN,
            )
        with _explicit_timestamps(AuditEntry):
            AuditEntry.objects.create(
                at=opened,
                user=self.hq,
                object_type="periods.assessmentperiod",
                object_id=row.pk,
                field="opened",
                new=f"{period}，{self.rubric}（{SAMPLE_NOTE}）",
            )
        return row

    def status_for(self, index: int) -> str:
        """What an assessment of the period `index` periods before the newest has become."""
        r = self.rng.random()
        if index == 0:  # the newest: every status
            for status, share in (
                ("draft", 0.10),
                ("returned", 0.08),
                ("in_signoff", 0.14),
                ("submitted", 0.18),
                ("accepted", 0.20),
            ):
                if r < share:
                    return status
                r -= share
            return "reviewed"
        return "reviewed" if r < 0.96 else "accepted"

    def make_period(self, states: list[OfficeState], period: Period, chrono: int) -> None:
        from servplan.assessments.models import (
            Assessment,
            CellScore,
            Finding,
            FollowUp,
            Improvement,
            ImprovementStatus,
            SignOff,
            Status,
        )
        from servplan.audit.models import AuditEntry
        from servplan.periods.models import Acceptance, DeadlineOverride, PeriodStatus
        from servplan.review.models import ReviewRelease

        index = self.n_periods - 1 - chrono  # 0: the newest
        released = index >= 1
        row = self.open_period(period, index)
        deadline = row.deadline
        cells = self.cells
        r = self.rng
        plans = []  # (state, assessment, status, events)
        for s in states:
            status = self.status_for(index)
            opened = row.opened_at + dt.timedelta(minutes=s.n % 600)
            late = status not in ("draft", "returned", "in_signoff") and r.random() < 0.12
            extended = r.random() < 0.03
            own_deadline = deadline + dt.timedelta(days=14) if extended else deadline
            if late:
                arrive = own_deadline + dt.timedelta(days=r.randrange(1, 20))
            else:
                arrive = own_deadline - dt.timedelta(days=r.randrange(0, 12))
            plans.append((s, status, opened, arrive, extended, own_deadline))
        assessments = []
        for s, status, opened, arrive, _, _ in plans:
            locked = status in ("submitted", "accepted", "reviewed")
            model_status = {
                "returned": Status.DRAFT,
                "accepted": Status.SUBMITTED,
            }.get(status, status)
            assessments.append(
                Assessment(
                    office_id=s.pk,
                    rubric=self.rubric,
                    **period.as_dict(),
                    assessed_on=arrive - dt.timedelta(days=4) if locked else None,
                    status=model_status,
                    created_at=opened,
                    updated_at=opened,
                )
            )
        with _explicit_timestamps(Assessment):
            Assessment.objects.bulk_create(assessments, batch_size=BATCH)
        overrides = [
            DeadlineOverride(
                period=row,
                office_id=s.pk,
                deadline=own,
                reason="範例：颱風停班，延長繳交期限。",
                set_by=self.hq,
            )
            for (s, _, _, _, extended, own) in plans
            if extended
        ]
        DeadlineOverride.objects.bulk_create(overrides, batch_size=BATCH)

        cell_rows, signoffs, improvements, audits = [], [], [], []
        finding_plan = []  # (assessment, cell index, strengths, weaknesses, remarks, status)
        for (s, status, _, arrive, _, _), a in zip(plans, assessments, strict=True):
            self.report.statuses[status] = self.report.statuses.get(status, 0) + 1
            fresh = status == "draft" and r.random() < 0.5
            previous = s.narratives
            texts = []
            for ci in range(len(cells)):
                if fresh and r.random() < 0.6:
                    text = ""
                elif previous and previous[ci] and r.random() < 0.15:
                    text = previous[ci]  # copied from the office's previous period
                elif self.shared[ci] and r.random() < 0.04:
                    text = r.choice(self.shared[ci])  # copied from another office
                else:
                    text = self.narrative()
                texts.append(text)
            if r.random() < 0.05 and texts[6]:
                texts[7] = texts[6]  # two cells of one assessment with the same paragraph
            for ci, text in enumerate(texts):
                if text and len(self.shared[ci]) < 50 and r.random() < 0.01:
                    self.shared[ci].append(text)
            s.narratives = texts
            reviewed = status == "reviewed"
            for ci, cell in enumerate(cells):
                top = cell.max_score
                score = None
                if texts[ci] or status != "draft":
                    score = _half(float(top) * (s.quality + r.uniform(-0.15, 0.1)), top)
                review = None
                if reviewed and score is not None:
                    gap = r.uniform(0.25, 0.45) if r.random() < 0.04 else r.uniform(0, 0.12)
                    review = _half(float(score) - float(top) * gap, top)
                cell_rows.append(
                    CellScore(
                        assessment=a,
                        cell=cell,
                        max_score=top,
                        score=score,
                        narrative=texts[ci],
                        review_score=review,
                        review_comment=r.choice(REVIEW_COMMENTS) if reviewed else "",
                        version=1 + (score is not None) + (r.random() < 0.3),
                    )
                )
            # The sign-off chain since the (latest) submit, as the workflow leaves it.
            users = s.users
            if status != "draft":
                steps = len(CHAIN)
                if status == "returned":
                    steps = 2 + r.randrange(len(CHAIN) - 2)
                elif status == "in_signoff":
                    steps = 1 + r.randrange(len(CHAIN) - 1)
                times = [arrive - dt.timedelta(days=2 * (steps - 1 - k)) for k in range(steps)]
                for k in range(steps):
                    role = CHAIN[k]
                    decision = "submit" if k == 0 else "approve"
                    comment = ""
                    if status == "returned" and k == steps - 1:
                        decision, comment = "return", "請補充成效數據及佐證資料後再送。"
                    signoffs.append(
                        (
                            a,
                            status,
                            SignOff(
                                assessment=a,
                                position=k + 1,
                                role=role,
                                user=users[role],
                                signer_name=users[role].first_name,
                                decision=decision,
                                comment=comment,
                                at=_at(times[k], r),
                            ),
                        )
                    )
                a.updated_at = signoffs[-1][2].at
            audits.append(
                AuditEntry(
                    at=a.created_at,
                    user=None,
                    object_type="assessments.assessment",
                    object_id=a.pk,
                    assessment_id=a.pk,
                    field="created",
                    new=f"{period}（{SAMPLE_NOTE}，seed {self.seed}）",
                )
            )
            # The results summary: some rows filled in; improvements opened on submitted ones.
            for ci in range(len(cells)):
                strengths = weaknesses = remarks = ""
                if status != "draft" and r.random() < 0.35:
                    strengths = r.choice(STRENGTHS)
                    weaknesses = r.choice(WEAKNESSES) if r.random() < 0.6 else ""
                if (
                    status in ("submitted", "accepted", "reviewed")
                    and ci not in s.improvements
                    and r.random() < 0.08
                ):
                    last = chrono + r.randrange(1, 4)
                    imp = Improvement(
                        office_id=s.pk,
                        opened_in=a,
                        recommendation=r.choice(RECOMMENDATIONS),
                        status=(
                            ImprovementStatus.DONE
                            if last < self.n_periods
                            else r.choice([ImprovementStatus.OPEN, ImprovementStatus.IN_PROGRESS])
                        ),
                    )
                    s.improvements[ci] = [imp, min(last, self.n_periods - 1), [], chrono]
                    improvements.append(s.improvements[ci])
                finding_plan.append((s, a, ci, strengths, weaknesses, remarks, status))

        with _explicit_timestamps(Assessment):
            Assessment.objects.bulk_update(assessments, ["updated_at"], batch_size=BATCH)
        CellScore.objects.bulk_create(cell_rows, batch_size=BATCH)
        with _explicit_timestamps(SignOff):
            SignOff.objects.bulk_create([x[2] for x in signoffs], batch_size=BATCH)
        Improvement.objects.bulk_create([x[0] for x in improvements], batch_size=BATCH)
        # Each new improvement's follow-ups, quarter by quarter until it was done (some
        # quarters skipped: the aids find those left without an entry).
        follow_ups = []
        for imp, last, entries, opened_chrono in improvements:
            year, quarter = _quarters(self.periods[opened_chrono])[-1]
            for _ in range(2 * (last - opened_chrono) + 1):
                year, quarter = _next_quarter(year, quarter)
                if r.random() < 0.75:
                    fu = FollowUp(
                        improvement=imp,
                        roc_year=year,
                        quarter=quarter,
                        recorded_on=_quarter_end(year, quarter),
                        progress=r.choice(PROGRESS),
                        author=self._states[imp.office_id].users["clerk"],
                        created_at=_at(_quarter_end(year, quarter), r),
                    )
                    follow_ups.append(fu)
                    entries.append(fu)
        with _explicit_timestamps(FollowUp):
            FollowUp.objects.bulk_create(follow_ups, batch_size=BATCH)
        findings = []
        period_end = _quarters(period)[-1]
        for s, a, ci, strengths, weaknesses, remarks, status in finding_plan:
            carried = s.improvements.get(ci)
            imp = carried[0] if carried else None
            frozen = None
            if imp is not None and status in ("submitted", "accepted", "reviewed", "in_signoff"):
                shown = [fu.pk for fu in carried[2] if (fu.roc_year, fu.quarter) <= period_end]
                done_here = chrono >= carried[1] and imp.status == ImprovementStatus.DONE
                frozen = {
                    "recommendation": imp.recommendation,
                    "status": imp.status if done_here else ImprovementStatus.IN_PROGRESS,
                    "remarks": imp.remarks,
                    "follow_ups": shown,
                }
            findings.append(
                Finding(
                    assessment=a,
                    cell=cells[ci],
                    strengths=strengths,
                    weaknesses=weaknesses,
                    remarks=remarks,
                    improvement=imp,
                    frozen=frozen,
                )
            )
        Finding.objects.bulk_create(findings, batch_size=BATCH)
        for s in states:  # improvements carried no further than their last period
            for ci in [ci for ci, v in s.improvements.items() if v[1] <= chrono]:
                del s.improvements[ci]
        acceptances = [
            Acceptance(signoff=so, accepted_by=self.hq, accepted_at=so.at + dt.timedelta(days=2))
            for a, status, so in signoffs
            if status in ("accepted", "reviewed") and so.decision == "submit"
        ]
        with _explicit_timestamps(Acceptance):
            Acceptance.objects.bulk_create(acceptances, batch_size=BATCH)
        for a in assessments:
            if a.status == Status.DRAFT:
                continue
            audits.append(
                AuditEntry(
                    at=a.updated_at,
                    user=None,
                    object_type="assessments.assessment",
                    object_id=a.pk,
                    assessment_id=a.pk,
                    field="status",
                    new=a.status,
                )
            )
        with _explicit_timestamps(AuditEntry):
            AuditEntry.objects.bulk_create(audits, batch_size=BATCH)
        if released:
            release_at = _at(row.deadline + dt.timedelta(days=45), r)
            if not ReviewRelease.objects.filter(**period.as_dict()).exists():
                with _explicit_timestamps(ReviewRelease):
                    ReviewRelease.objects.create(
                        **period.as_dict(), released_by=self.hq, released_at=release_at
                    )
            if index >= 2 and row.opened_by_id == self.hq.pk:
                row.status, row.closed_by = PeriodStatus.CLOSED, self.hq
                row.closed_at = release_at + dt.timedelta(days=30)
                row.save(update_fields=["status", "closed_by", "closed_at"])
        self.report.assessments += len(assessments)
        self.report.periods += 1

    # -- plans --------------------------------------------------------------------------------

    def make_plans(self, states: list[OfficeState]) -> None:
        """Every sample office's plan of the program's year: a copy of HQ's tree (a few
        practices reworded, marked 不適用 or given a target) in one of every plan status."""
        from servplan.audit.models import AuditEntry
        from servplan.plans.domain import _basis, plan_title
        from servplan.plans.models import OfficePlan, PlanSignOff, PlanStatus
        from servplan.programs.models import (
            Facet,
            Measure,
            Outline,
            Practice,
            PracticeDepartment,
            Strategy,
        )

        program = self.program
        facets = list(Facet.objects.filter(outline=program.outline).order_by("position"))
        strategies = list(Strategy.objects.filter(facet__outline=program.outline))
        measures = list(Measure.objects.filter(strategy__facet__outline=program.outline))
        practices = list(Practice.objects.filter(measure__strategy__facet__outline=program.outline))
        links = {}
        for link in PracticeDepartment.objects.filter(practice__in=practices):
            links.setdefault(link.practice_id, []).append(link)
        r = self.rng
        year_day = dt.date(from_roc_year(program.roc_year), 1, 1)
        for start in range(0, len(states), 200):
            chunk = states[start : start + 200]
            outlines = Outline.objects.bulk_create([Outline() for _ in chunk])
            new_facets, fmap = [], {}
            for o in outlines:
                for f in facets:
                    fmap[(o.pk, f.pk)] = Facet(outline=o, position=f.position, name=f.name)
                    new_facets.append(fmap[(o.pk, f.pk)])
            Facet.objects.bulk_create(new_facets, batch_size=BATCH)
            new_strategies, smap = [], {}
            for o in outlines:
                for s in strategies:
                    smap[(o.pk, s.pk)] = Strategy(
                        facet=fmap[(o.pk, s.facet_id)],
                        position=s.position,
                        name=s.name,
                        origin_id=s.pk,
                    )
                    new_strategies.append(smap[(o.pk, s.pk)])
            Strategy.objects.bulk_create(new_strategies, batch_size=BATCH)
            new_measures, mmap = [], {}
            for o in outlines:
                for m in measures:
                    mmap[(o.pk, m.pk)] = Measure(
                        strategy=smap[(o.pk, m.strategy_id)], position=m.position, name=m.name
                    )
                    new_measures.append(mmap[(o.pk, m.pk)])
            Measure.objects.bulk_create(new_measures, batch_size=BATCH)
            new_practices = []
            for o in outlines:
                for p in practices:
                    text, target, na, reason = p.text, p.target, False, ""
                    roll = r.random()
                    if roll < 0.08:
                        text = p.text + r.choice(PRACTICE_NOTES)
                    elif roll < 0.11:
                        na, reason = True, r.choice(NOT_APPLICABLE)
                    if r.random() < 0.1:
                        target = f"全年辦理 {r.randrange(2, 24)} 場次以上。"
                    new_practices.append(
                        (
                            p,
                            Practice(
                                measure=mmap[(o.pk, p.measure_id)],
                                position=p.position,
                                number=p.number,
                                text=text,
                                period=p.period,
                                target=target,
                                origin_id=p.pk,
                                not_applicable=na,
                                not_applicable_reason=reason,
                            ),
                        )
                    )
            Practice.objects.bulk_create([x[1] for x in new_practices], batch_size=BATCH)
            PracticeDepartment.objects.bulk_create(
                [
                    PracticeDepartment(
                        practice=new, department_id=link.department_id, position=link.position
                    )
                    for old, new in new_practices
                    for link in links.get(old.pk, [])
                ],
                batch_size=BATCH,
            )
            plans, signoffs = [], []
            for s, o in zip(chunk, outlines, strict=True):
                roll = r.random()
                status = (
                    PlanStatus.DRAFT
                    if roll < 0.12
                    else PlanStatus.SUBMITTED
                    if roll < 0.25
                    else PlanStatus.APPROVED
                    if roll < 0.40 or not self.publish
                    else PlanStatus.PUBLISHED
                )
                approved = year_day + dt.timedelta(days=20 + r.randrange(40))
                plans.append(
                    OfficePlan(
                        office_id=s.pk,
                        roc_year=program.roc_year,
                        program=program,
                        outline=o,
                        title=plan_title(self.offices_by_pk[s.pk], program.roc_year),
                        status=status,
                        approved_on=approved if status in ("approved", "published") else None,
                        basis=_basis(program),
                        goals=r.choice(GOALS),
                        targets=r.choice(TARGETS),
                        steps="\n".join(STEPS[: 2 + r.randrange(3)]),
                        supplementary=r.choice(SUPPLEMENTARY),
                        created_at=_at(year_day - dt.timedelta(days=30), r),
                    )
                )
            with _explicit_timestamps(OfficePlan):
                OfficePlan.objects.bulk_create(plans, batch_size=BATCH)
            audits = []
            for s, plan in zip(chunk, plans, strict=True):
                if plan.status != PlanStatus.DRAFT:
                    steps = (
                        len(CHAIN) if plan.status != PlanStatus.SUBMITTED else 1 + r.randrange(4)
                    )
                    for k in range(steps):
                        role = CHAIN[k]
                        signoffs.append(
                            PlanSignOff(
                                plan=plan,
                                position=k + 1,
                                role=role,
                                user=s.users[role],
                                signer_name=s.users[role].first_name,
                                decision="submit" if k == 0 else "approve",
                                at=_at(year_day + dt.timedelta(days=10 + 2 * k), r),
                            )
                        )
                audits.append(
                    AuditEntry(
                        at=plan.created_at,
                        object_type="plans.officeplan",
                        object_id=plan.pk,
                        plan_id=plan.pk,
                        field="created",
                        new=f"{plan.title}（{SAMPLE_NOTE}，seed {self.seed}）",
                    )
                )
            with _explicit_timestamps(PlanSignOff, AuditEntry):
                PlanSignOff.objects.bulk_create(signoffs, batch_size=BATCH)
                AuditEntry.objects.bulk_create(audits, batch_size=BATCH)
            self.report.plans += len(plans)
            self.progress(f"  執行計畫 {start + len(chunk)}/{len(states)}")

    def finish_plans(self) -> None:
        """Each signed plan read once as the domain reads it (plans_for_export): the content
        hash its submit and approvals keep (plans.signing), and for a published one its
        publication (plans.publication.public_content) with the search passages."""
        from servplan.audit.models import AuditEntry
        from servplan.plans.models import OfficePlan, PlanSignOff, PlanStatus
        from servplan.plans.publication import public_content
        from servplan.plans.serializers import plans_for_export
        from servplan.plans.signing import plan_content_hash
        from servplan.public.models import PlanPublication, SearchDocument
        from servplan.search.public import plan_passages

        ids = list(
            OfficePlan.objects.filter(office__in=sample_offices())
            .exclude(status=PlanStatus.DRAFT)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for start in range(0, len(ids), 100):
            signed, pubs = [], []
            for plan in plans_for_export().filter(pk__in=ids[start : start + 100]):
                digest = plan_content_hash(plan)
                for so in plan.signoffs.all():
                    so.content_hash = digest
                    signed.append(so)
                if plan.status != PlanStatus.PUBLISHED:
                    continue
                at = timezone.make_aware(
                    dt.datetime.combine(plan.approved_on + dt.timedelta(days=7), dt.time(10))
                )
                pubs.append(
                    PlanPublication(
                        plan=plan, published_at=at, published_by=None, content=public_content(plan)
                    )
                )
            PlanSignOff.objects.bulk_update(signed, ["content_hash"], batch_size=BATCH)
            PlanPublication.objects.bulk_create(pubs, batch_size=BATCH)
            passages = [p for pub in pubs for p in plan_passages(pub)]
            SearchDocument.objects.bulk_create(passages, batch_size=BATCH)
            with _explicit_timestamps(AuditEntry):
                AuditEntry.objects.bulk_create(
                    [
                        AuditEntry(
                            at=pub.published_at,
                            object_type="plans.officeplan",
                            object_id=pub.plan_id,
                            plan_id=pub.plan_id,
                            field="published",
                            new=f"{SAMPLE_NOTE}：僅公開內容，未產生 PDF／ODT",
                        )
                        for pub in pubs
                    ]
                )
            self.report.plans_published += len(pubs)
            self.report.search_passages += len(passages)
            self.progress(f"  執行計畫核章雜湊與公開 {min(start + 100, len(ids))}/{len(ids)}")

    def publish_results(self, period: Period) -> None:
        """The reviewed sample assessments of a released period, published with their data
        files (CSV, JSON) and search passages."""
        from servplan.assessments.models import Assessment, Status
        from servplan.assessments.sheet import build_sheet, sheet_queryset
        from servplan.audit.models import AuditEntry
        from servplan.documents import data
        from servplan.public.models import ResultsDocument, ResultsPublication, SearchDocument
        from servplan.public.results import canonical, results_content, table
        from servplan.review.models import ReviewRelease
        from servplan.search.public import results_passages

        release = ReviewRelease.objects.get(**period.as_dict())
        ids = list(
            Assessment.objects.filter(
                office__in=sample_offices(), status=Status.REVIEWED, **period.as_dict()
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        released_at = timezone.localtime(release.released_at)
        for start in range(0, len(ids), 100):
            pubs, docs, passages = [], [], []
            for a in sheet_queryset().filter(pk__in=ids[start : start + 100]):
                sheet = build_sheet(a)
                content = results_content(sheet, released_at=released_at)
                pub = ResultsPublication(
                    assessment=a,
                    published_at=release.released_at + dt.timedelta(days=3),
                    content=content,
                    content_hash=content["content_hash"],
                )
                files = {"csv": data.to_csv(table(sheet)), "json": canonical(content)}
                pubs.append((pub, files))
            ResultsPublication.objects.bulk_create([p for p, _ in pubs], batch_size=BATCH)
            for pub, files in pubs:
                for fmt, body in files.items():
                    docs.append(
                        ResultsDocument(
                            publication=pub,
                            format=fmt,
                            content=body,
                            sha256=hashlib.sha256(body).hexdigest(),
                            size=len(body),
                        )
                    )
                passages += results_passages(pub)
            ResultsDocument.objects.bulk_create(docs, batch_size=BATCH)
            SearchDocument.objects.bulk_create(passages, batch_size=BATCH)
            with _explicit_timestamps(AuditEntry):
                AuditEntry.objects.bulk_create(
                    [
                        AuditEntry(
                            at=pub.published_at,
                            object_type="assessments.assessment",
                            object_id=pub.assessment_id,
                            assessment_id=pub.assessment_id,
                            field="published",
                            new=f"內容雜湊 sha256:{pub.content_hash}（{SAMPLE_NOTE}：僅資料檔）",
                        )
                        for pub, _ in pubs
                    ]
                )
            self.report.results_published += len(pubs)
            self.report.search_passages += len(passages)

    # -- the whole ----------------------------------------------------------------------------

    def run(self) -> SampleReport:
        from servplan.programs.lookups import hq_program
        from servplan.programs.models import Publication, Rubric, RubricCell

        self.rubric = (
            Rubric.objects.filter(office__isnull=True, status=Publication.PUBLISHED)
            .order_by("-roc_year", "-version")
            .first()
        )
        self.program = hq_program(114) or hq_program(112)
        if self.rubric is None or self.program is None:
            raise DomainError("尚未載入評分表或總處執行計畫：請先執行 servplan init", where="init")
        self.cells = list(
            RubricCell.objects.filter(dimension__rubric=self.rubric)
            .select_related("dimension", "item")
            .order_by("dimension__position", "item__position")
        )
        self.shared = [[] for _ in self.cells]
        self.periods = periods_back(self.n_periods)
        self.progress(f"建立 {self.n_offices} 個範例區營業處與人員…")
        states = self.make_offices()
        self._states = {s.pk: s for s in states}
        self.offices_by_pk = {o.pk: o for o in self.office_rows}
        for chrono, period in enumerate(self.periods):
            self.make_period(states, period, chrono)
            self.progress(
                f"  {period}：{self.n_offices} 份自行考核（{chrono + 1}/{self.n_periods}）"
            )
        self.progress(f"建立 {self.program.roc_year} 年度執行計畫…")
        self.make_plans(states)
        self.progress("執行計畫核章雜湊與公開…")
        self.finish_plans()
        if self.n_periods >= 2 and self.publish:
            period = self.periods[-2]
            self.progress(f"公開 {period} 考核結果…")
            self.publish_results(period)
        return self.report


def generate_sample(
    *,
    offices: int,
    periods: int,
    seed: int = 1,
    replace: bool = False,
    publish: bool = True,
    progress: Callable[[str], None] = lambda _: None,
) -> SampleReport:
    """Create `offices` sample offices with `periods` half-yearly periods of records (see the
    module's docstring), in one transaction.

    `publish`: put most plans and the results of the newest released period on the public
    site (their search passages too); without it plans stop at approved.
    Refused (Conflict) when the database holds a sample already, unless `replace`: then
    delete_sample() removes it first. Refused (DomainError) for fewer than 1 or more than
    9,999 offices, fewer than 1 or more than 40 periods, or before `servplan init`.
    Side effects: the rows above; audit entries naming the sample on every assessment,
    plan, publication and period it makes.
    """
    if not 1 <= offices <= 9999:
        raise DomainError("--offices 應為 1 至 9999", where="offices")
    if not 1 <= periods <= 40:
        raise DomainError("--periods 應為 1 至 40", where="periods")
    with transaction.atomic():
        if has_sample() or get_user_model().objects.filter(username=HQ_USERNAME).exists():
            if not replace:
                raise Conflict("資料庫中已有範例資料：加上 --replace 先刪除再重建", where="replace")
            delete_sample(progress=progress)
        return Generator(
            offices=offices, periods=periods, seed=seed, publish=publish, progress=progress
        ).run()

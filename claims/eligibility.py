"""Who may claim what, and why not (PP 45/2015 on JP, PP 46/2015 and Permenaker
4/2022 on JHT, PP 37/2021 as amended by PP 6/2025 on JKP).

Each rule answers with the reasons a member is not eligible, in words they can
act on; an empty list means eligible. The facts come from the member's record
in a fixed number of queries.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Min, Q
from django.utils import formats
from django.utils.translation import gettext as _

from claims.models import Claim, ClaimDocument
from contributions.balance import jht_balance_for_member
from contributions.models import Contribution, Employment, Programme
from ibsu.lib.dates import age_on

R = Claim.Reason
K = ClaimDocument.Kind

# JHT: the age at which the balance may be claimed in full.
JHT_AGE = 56
# JHT partial claims: years of membership needed.
JHT_PARTIAL_YEARS = 10
# Waiting time after employment ends before JHT can be claimed.
JHT_WAITING_MONTHS = 1
# JP (PP 45/2015): began 1 July 2015; the old-age pension is paid monthly after
# 180 months with a JP contribution (15 years), otherwise as a lump sum.
JP_START = date(2015, 7, 1)
JP_MONTHLY_PENSION_MONTHS = 180
# JKP (PP 37/2021 art. 19 and 40, PP 6/2025): paid contributions in 12 of the 24
# months up to the dismissal (its own month included, our reading), 6 of them in
# a row (art. 19(3) of PP 37/2021; kept by PP 6/2025, unconfirmed), under 54 at
# registration (art. 4); claimed within a number of months of the dismissal
# that depends on the dismissal date: (from, months, source).
JKP_MIN_MONTHS, JKP_WINDOW_MONTHS, JKP_CONSECUTIVE_MONTHS = 12, 24, 6
JKP_MAX_AGE_AT_REGISTRATION = 54
JKP_CLAIM_DEADLINES = [
    (date(2021, 2, 2), 3, "PP 37/2021 art. 40"),
    (date(2025, 2, 7), 6, "PP 6/2025 art. 40"),
]

# Which reasons each programme offers on the claim form.
REASONS = {
    Programme.JHT: [
        R.RESIGNATION,
        R.DISMISSAL,
        R.CONTRACT_END,
        R.LEAVING_INDONESIA,
        R.AGE,
        R.DISABILITY,
        R.PARTIAL_RETIREMENT,
        R.PARTIAL_HOUSING,
    ],
    Programme.JKK: [R.ACCIDENT],
    Programme.JP: [R.AGE, R.DISABILITY],
    Programme.JKP: [R.DISMISSAL],
}


def pension_age(year: int) -> int:
    """PP 45/2015 art. 15: 56, then 57 from 2019, one more every 3 years up to 65."""
    if year < 2019:
        return 56
    return min(65, 57 + (year - 2019) // 3)


@dataclass(frozen=True)
class MemberFacts:
    today: date
    age: int
    employments: list[tuple[date, date | None]]
    first_period: date | None
    paid_periods: set[date]
    jht_balance: int
    partial_claims: int
    jp_months: int = 0
    partial_paid: bool = False
    born: date | None = None

    def age_on(self, day: date) -> int:
        return age_on(self.born, day) if self.born else self.age

    @property
    def employed(self) -> bool:
        return any(end is None or end >= self.today for _start, end in self.employments)

    @property
    def last_end(self) -> date | None:
        ends = [end for _start, end in self.employments if end is not None]
        return max(ends) if ends else None


def member_facts(*, member, today: date, excluding: int | None = None) -> MemberFacts:
    """The facts the rules need; `excluding` leaves out the claim being submitted."""
    contributions = Contribution.objects.filter(member=member)
    return MemberFacts(
        today=today,
        age=age_on(member.date_of_birth, today),
        born=member.date_of_birth,
        employments=list(
            Employment.objects.filter(member=member).values_list("start", "end")
        ),
        first_period=contributions.aggregate(first=Min("period"))["first"],
        paid_periods=set(
            contributions.filter(paid_date__isnull=False).values_list(
                "period", flat=True
            )
        ),
        jht_balance=jht_balance_for_member(member=member, until_year=today.year).amount,
        partial_claims=Claim.objects.filter(
            member=member, reason__in=[R.PARTIAL_RETIREMENT, R.PARTIAL_HOUSING]
        )
        # A draft is no claim yet: submitting checks again, so two drafts can't pass.
        .exclude(
            status__in=[
                Claim.Status.DRAFT,
                Claim.Status.REJECTED,
                Claim.Status.CANCELLED,
            ]
        )
        .exclude(pk=excluding)
        .count(),
        jp_months=contributions.filter(paid_date__isnull=False, period__gte=JP_START)
        .filter(Q(jp_employer__gt=0) | Q(jp_employee__gt=0))
        .values("period")
        .distinct()
        .count(),
        partial_paid=earlier_partial_paid(member=member, excluding=excluding),
    )


def earlier_partial_paid(*, member, excluding: int | None = None) -> bool:
    """Whether a partial JHT claim of this member has been paid."""
    return (
        Claim.objects.filter(
            member=member,
            programme=Programme.JHT,
            reason__in=[R.PARTIAL_RETIREMENT, R.PARTIAL_HOUSING],
            status=Claim.Status.PAID,
        )
        .exclude(pk=excluding)
        .exists()
    )


def ineligibility(
    programme: str, reason: str, facts: MemberFacts, details: dict | None = None
) -> list[str]:
    """Why the member may not claim this now; empty when they may.

    `details` are the claim's own facts; JKP reads its dismissal date there.
    Without one, only what does not depend on it is checked (the start page
    asks for the date).
    """
    if reason not in REASONS.get(programme, []):
        return [_("This reason does not apply to this programme.")]
    if programme == Programme.JHT:
        return _jht(reason, facts)
    if programme == Programme.JP:
        return _jp(reason, facts)
    if programme == Programme.JKP:
        return jkp_problems(facts, dismissal_date(details or {}))
    return []  # JKK: any member in an accident at work; the documents prove it


def dismissal_date(details: dict) -> date | None:
    try:
        return date.fromisoformat(details.get("dismissal_date") or "")
    except (TypeError, ValueError):
        return None


def _jht(reason: str, facts: MemberFacts) -> list[str]:
    problems = []
    if reason in {R.RESIGNATION, R.DISMISSAL, R.CONTRACT_END}:
        if facts.employed:
            problems.append(_("You still have an active employment."))
        elif facts.last_end is None:
            problems.append(_("No employment has ended on your record."))
        elif add_months(facts.last_end, JHT_WAITING_MONTHS) > facts.today:
            problems.append(
                _("You can claim one month after your employment ended, on %(date)s.")
                % {"date": add_months(facts.last_end, JHT_WAITING_MONTHS).isoformat()}
            )
    elif reason == R.LEAVING_INDONESIA and facts.employed:
        # Permenaker 4/2022: no waiting month, but no work in Indonesia either.
        problems.append(_("You still have an active employment."))
    elif reason == R.AGE and facts.age < JHT_AGE:
        problems.append(
            _("You can claim all of your JHT from age %(age)d.") % {"age": JHT_AGE}
        )
    elif reason in {R.PARTIAL_RETIREMENT, R.PARTIAL_HOUSING}:
        if (
            facts.first_period is None
            or add_months(facts.first_period, JHT_PARTIAL_YEARS * 12) > facts.today
        ):
            problems.append(
                _("A partial claim needs at least %(years)d years of membership.")
                % {"years": JHT_PARTIAL_YEARS}
            )
        if not facts.employed:
            problems.append(_("A partial claim is for members who are still employed."))
        if facts.partial_claims:
            problems.append(_("A partial claim can be made only once."))
    if not facts.jht_balance:
        problems.append(_("Your JHT balance is empty."))
    return problems


def _jp(reason: str, facts: MemberFacts) -> list[str]:
    if reason == R.AGE and facts.age < pension_age(facts.today.year):
        return [
            _("The pension age in %(year)d is %(age)d.")
            % {"year": facts.today.year, "age": pension_age(facts.today.year)}
        ]
    return []


def monthly_pension(facts: MemberFacts) -> bool:
    """JP pays monthly after 180 months with a JP contribution; else a lump sum."""
    return facts.jp_months >= JP_MONTHLY_PENSION_MONTHS


def jp_months_missing(facts: MemberFacts) -> int:
    return max(0, JP_MONTHLY_PENSION_MONTHS - facts.jp_months)


def jkp_claim_deadline(dismissed: date) -> date:
    """The last day to claim JKP for a dismissal on `dismissed`."""
    months = JKP_CLAIM_DEADLINES[0][1]
    for start, period_months, _source in JKP_CLAIM_DEADLINES:
        if dismissed >= start:
            months = period_months
    return add_months(dismissed, months)


def jkp_problems(facts: MemberFacts, dismissed: date | None) -> list[str]:
    """JKP: only a dismissal, checked against the record as far as it can be.

    Citizenship and enrolment in JKN (BPJS Kesehatan) are not on our record:
    the member confirms them on the claim and staff check the ID card and the
    JKN card. That the employer enrolled the member in the other programmes is
    left to staff.
    """
    problems = []
    if facts.employed or facts.last_end is None:
        problems.append(
            _("Job-loss benefit is for members whose employment has ended.")
        )
    if dismissed is None:
        return problems
    if dismissed > facts.today:
        return [_("The dismissal date cannot be in the future.")]
    deadline = jkp_claim_deadline(dismissed)
    if facts.today > deadline:
        problems.append(
            _(
                "Job-loss benefit must be claimed within %(months)d months of the "
                "dismissal: by %(date)s."
            )
            % {
                "months": _months_between(dismissed, deadline),
                "date": formats.date_format(deadline, "DATE_FORMAT"),
            }
        )
    window = _months_back(dismissed.replace(day=1), JKP_WINDOW_MONTHS)
    paid = [period in facts.paid_periods for period in window]
    if sum(paid) < JKP_MIN_MONTHS:
        problems.append(
            _(
                "Job-loss benefit needs %(need)d months of paid contributions in the "
                "%(window)d months up to the dismissal; you have %(have)d."
            )
            % {"need": JKP_MIN_MONTHS, "window": JKP_WINDOW_MONTHS, "have": sum(paid)}
        )
    elif _longest_run(paid) < JKP_CONSECUTIVE_MONTHS:
        problems.append(
            _(
                "Job-loss benefit needs %(need)d months in a row of paid "
                "contributions before the dismissal; your longest run is %(have)d."
            )
            % {"need": JKP_CONSECUTIVE_MONTHS, "have": _longest_run(paid)}
        )
    registered = max(
        (start for start, _end in facts.employments if start <= dismissed),
        default=None,
    )
    if registered and facts.age_on(registered) >= JKP_MAX_AGE_AT_REGISTRATION:
        problems.append(
            _(
                "Job-loss benefit is for members registered before the age of "
                "%(age)d; you were %(was)d when this employment began."
            )
            % {
                "age": JKP_MAX_AGE_AT_REGISTRATION,
                "was": facts.age_on(registered),
            }
        )
    return problems


def _months_back(last: date, count: int) -> list[date]:
    """`count` periods ending with `last`, oldest first."""
    return [add_months(last, -n) for n in range(count - 1, -1, -1)]


def _longest_run(flags: list[bool]) -> int:
    longest = run = 0
    for flag in flags:
        run = run + 1 if flag else 0
        longest = max(longest, run)
    return longest


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def required_documents(
    claim: Claim, jht_balance: int, *, partial_paid: bool
) -> list[str]:
    """The upload slots a claim needs before it can be submitted."""
    if claim.programme == Programme.JKK:
        return [
            K.ID_CARD,
            K.ACCIDENT_REPORT,
            K.DOCTOR_CERTIFICATE,
            K.CHRONOLOGY,
            K.BANK_BOOK,
        ]
    if claim.reason == R.LEAVING_INDONESIA:
        # Permenaker 4/2022: the passport and a statement of no longer working in
        # Indonesia, in place of the ID card and family card a foreigner lacks.
        kinds = [K.PASSPORT, K.NO_LONGER_WORKING, K.BANK_BOOK]
    else:
        kinds = [K.ID_CARD, K.FAMILY_CARD, K.BANK_BOOK]
    if claim.reason in {R.RESIGNATION, R.DISMISSAL, R.CONTRACT_END}:
        kinds.append(K.TERMINATION_LETTER)
    if claim.reason == R.DISABILITY:
        kinds.append(K.DOCTOR_CERTIFICATE)
    if claim.reason == R.PARTIAL_HOUSING:
        kinds.append(K.HOUSING_AGREEMENT)
    if needs_npwp(claim, jht_balance, partial_paid=partial_paid):
        kinds.append(K.NPWP)
    return kinds


def needs_npwp(claim: Claim, jht_balance: int, *, partial_paid: bool) -> bool:
    """A JHT claim needs the tax number on a balance over the threshold (Rp 50 jt)
    or after an earlier partial claim was paid."""
    return claim.programme == Programme.JHT and (
        jht_balance > settings.CLAIM_NPWP_THRESHOLD or partial_paid
    )


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last_day))

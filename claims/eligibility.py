"""Who may claim what, and why not (DOMAIN.md, Claims; PP 45/2015; Permenaker 4/2022).

Each rule answers with the reasons a member is not eligible, in words they can
act on; an empty list means eligible. The facts come from the member's record
in a fixed number of queries.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Min
from django.utils.translation import gettext as _

from accounts.heirs import age_on
from claims.models import Claim, ClaimDocument
from contributions.balance import jht_balance_for_member
from contributions.models import Contribution, Employment, Programme

R = Claim.Reason
K = ClaimDocument.Kind

# JHT: the age at which the balance may be claimed in full.
JHT_AGE = 56
# JHT partial claims: years of membership needed.
JHT_PARTIAL_YEARS = 10
# Waiting time after employment ends before JHT can be claimed.
JHT_WAITING_MONTHS = 1
# JP: contribution years for a monthly pension instead of a lump sum.
JP_MONTHLY_PENSION_YEARS = 15
# JKP: claim within this many months of dismissal, after 12 contribution
# months in the last 24.
JKP_CLAIM_MONTHS = 6
JKP_MIN_MONTHS, JKP_WINDOW_MONTHS = 12, 24

# Which reasons each programme offers on the claim form.
REASONS = {
    Programme.JHT: [
        R.RESIGNATION,
        R.DISMISSAL,
        R.CONTRACT_END,
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
    )


def ineligibility(programme: str, reason: str, facts: MemberFacts) -> list[str]:
    """Why the member may not claim this now; empty when they may."""
    if reason not in REASONS.get(programme, []):
        return [_("This reason does not apply to this programme.")]
    if programme == Programme.JHT:
        return _jht(reason, facts)
    if programme == Programme.JP:
        return _jp(reason, facts)
    if programme == Programme.JKP:
        return _jkp(facts)
    return []  # JKK: any member in an accident at work; the documents prove it


def _jht(reason: str, facts: MemberFacts) -> list[str]:
    problems = []
    if reason in {R.RESIGNATION, R.DISMISSAL, R.CONTRACT_END}:
        if facts.employed:
            problems.append(_("You still have an active employment."))
        elif facts.last_end is None:
            problems.append(_("No employment has ended on your record."))
        elif _add_months(facts.last_end, JHT_WAITING_MONTHS) > facts.today:
            problems.append(
                _("You can claim one month after your employment ended, on %(date)s.")
                % {"date": _add_months(facts.last_end, JHT_WAITING_MONTHS).isoformat()}
            )
    elif reason == R.AGE and facts.age < JHT_AGE:
        problems.append(
            _("You can claim all of your JHT from age %(age)d.") % {"age": JHT_AGE}
        )
    elif reason in {R.PARTIAL_RETIREMENT, R.PARTIAL_HOUSING}:
        if (
            facts.first_period is None
            or _add_months(facts.first_period, JHT_PARTIAL_YEARS * 12) > facts.today
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


def _jkp(facts: MemberFacts) -> list[str]:
    problems = []
    if facts.employed or facts.last_end is None:
        problems.append(
            _("Job-loss benefit is for members whose employment has ended.")
        )
    elif _add_months(facts.last_end, JKP_CLAIM_MONTHS) < facts.today:
        problems.append(
            _("Job-loss benefit must be claimed within %(months)d months of dismissal.")
            % {"months": JKP_CLAIM_MONTHS}
        )
    window_start = _add_months(facts.today.replace(day=1), -JKP_WINDOW_MONTHS)
    recent = sum(1 for period in facts.paid_periods if period >= window_start)
    if recent < JKP_MIN_MONTHS:
        problems.append(
            _(
                "Job-loss benefit needs %(need)d months of contributions in the last "
                "%(window)d months; you have %(have)d."
            )
            % {"need": JKP_MIN_MONTHS, "window": JKP_WINDOW_MONTHS, "have": recent}
        )
    return problems


def monthly_pension(facts: MemberFacts) -> bool:
    """JP pays monthly after 15 contribution years; otherwise a lump sum."""
    return len(facts.paid_periods) >= JP_MONTHLY_PENSION_YEARS * 12


def required_documents(claim: Claim, jht_balance: int) -> list[str]:
    """The upload slots a claim needs before it can be submitted."""
    if claim.programme == Programme.JKK:
        return [
            K.ID_CARD,
            K.ACCIDENT_REPORT,
            K.DOCTOR_CERTIFICATE,
            K.CHRONOLOGY,
            K.BANK_BOOK,
        ]
    kinds = [K.ID_CARD, K.FAMILY_CARD, K.BANK_BOOK]
    if claim.reason in {R.RESIGNATION, R.DISMISSAL, R.CONTRACT_END}:
        kinds.append(K.TERMINATION_LETTER)
    if claim.reason == R.DISABILITY:
        kinds.append(K.DOCTOR_CERTIFICATE)
    if claim.reason == R.PARTIAL_HOUSING:
        kinds.append(K.HOUSING_AGREEMENT)
    if needs_npwp(claim, jht_balance):
        kinds.append(K.NPWP)
    return kinds


def needs_npwp(claim: Claim, jht_balance: int) -> bool:
    """JHT claims on balances over the threshold need the tax number."""
    return (
        claim.programme == Programme.JHT and jht_balance > settings.CLAIM_NPWP_THRESHOLD
    )


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last_day))

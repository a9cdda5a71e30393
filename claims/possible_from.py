"""From which day a claim the member cannot make today becomes possible, when
only time stands in the way (a waiting month, an age, years of membership).
None when it depends on something else: leaving a job, a dismissal."""

from datetime import date

from claims.ages import birthday, pension_start
from claims.eligibility import (
    JHT_AGE,
    JHT_PARTIAL_YEARS,
    JHT_WAITING_MONTHS,
    MemberFacts,
    R,
    add_months,
)
from contributions.models import Programme

LEAVING = {R.RESIGNATION, R.DISMISSAL, R.CONTRACT_END}
PARTIAL = {R.PARTIAL_RETIREMENT, R.PARTIAL_HOUSING}


def possible_from(programme: str, reason: str, facts: MemberFacts) -> date | None:
    day = _waited_for(programme, reason, facts)
    return day if day and day > facts.today else None


def _waited_for(programme: str, reason: str, facts: MemberFacts) -> date | None:
    if programme == Programme.JP and reason == R.AGE and facts.born:
        return pension_start(facts.born)[1]
    if programme != Programme.JHT:
        return None
    if reason in LEAVING and not facts.employed and facts.last_end:
        return add_months(facts.last_end, JHT_WAITING_MONTHS)
    if reason == R.AGE and facts.born:
        return birthday(facts.born, JHT_AGE)
    waiting_for_years = facts.employed and not facts.partial_claims
    if reason in PARTIAL and waiting_for_years and facts.first_period:
        return add_months(facts.first_period, JHT_PARTIAL_YEARS * 12)
    return None

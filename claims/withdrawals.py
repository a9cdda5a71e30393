"""How much a partial JHT claim may take: PP 46/2015 art. 22 (as amended by PP
60/2015) and Permenaker 4/2022: at most 30 % of the balance for housing, at most
10 % to prepare for retirement, once, after 10 years of membership.

"The balance" is the balance on the day of the claim (the day it was
submitted), measured as contributions.balance.jht_balance_on does: every year
before with its return, that year's paid contributions without one.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from claims.models import Claim
from contributions.balance import jht_balance_on
from ibsu.lib.money import format_rupiah

R = Claim.Reason
# Percent of the balance at the claim, per partial reason.
PARTIAL_SHARE_PERCENT = {R.PARTIAL_RETIREMENT: 10, R.PARTIAL_HOUSING: 30}


@dataclass(frozen=True)
class PartialLimit:
    percent: int
    balance: int
    claimed_on: date

    @property
    def maximum(self) -> int:
        """The most that may be paid, in whole rupiah (a fraction is not paid)."""
        return self.balance * self.percent // 100

    def allows(self, amount: int) -> bool:
        return amount * 100 <= self.balance * self.percent


def partial_limit(claim: Claim) -> PartialLimit | None:
    """The limit of a partial JHT claim; None for any other claim."""
    percent = PARTIAL_SHARE_PERCENT.get(claim.reason)
    if claim.programme != "JHT" or percent is None:
        return None
    moment = claim.submitted_at or timezone.now()
    day = timezone.localdate(moment)
    return PartialLimit(
        percent=percent,
        balance=jht_balance_on(member=claim.member_id, day=day),
        claimed_on=day,
    )


def partial_limit_problem(claim: Claim, amount: int | None) -> str | None:
    """Why `amount` may not be approved for this claim, in words staff act on."""
    limit = partial_limit(claim)
    if limit is None or amount is None or limit.allows(amount):
        return None
    return _(
        "At most %(maximum)s can be approved: %(percent)d%% of the JHT balance of "
        "%(balance)s on %(day)s, the day of the claim."
    ) % {
        "maximum": format_rupiah(limit.maximum),
        "percent": limit.percent,
        "balance": format_rupiah(limit.balance),
        "day": formats.date_format(limit.claimed_on, "DATE_FORMAT"),
    }

"""What is worked out from a member's whole history, kept between page views as
page parts of the "figures" scope (ibsu.lib.page_cache): JHT balance, history
checks, employers, yearly totals and the tables laid out from them.

Working them out reads the whole history (40 years take ~20 ms), yet they
change only when that history or the statutory figures do. The writers
invalidate in their transaction: the import (set-based), the demo, paid
withdrawals (claims.services), staff corrections and the statutory figures in
admin (contributions.admin), `load_holidays`. Every part's name carries the day,
since arrears and the balance's last year depend on it. Official documents (PDF
statements) never use these parts: they compute afresh.
"""

from datetime import date

from accounts.models import Member
from contributions.balance import JhtBalance, jht_balance_for_member
from ibsu.lib.page_cache import Parts


class MemberFigures:
    """One member's figures for one request and day: fetched together in one
    round trip, each worked out and kept when missing."""

    def __init__(self, *, member: Member, today: date):
        self.parts = Parts("figures", member)
        self.day = today.isoformat()

    def prefetch(self, *names: str) -> None:
        self.parts.prefetch(*(f"{name}:{self.day}" for name in names))

    def get(self, **computations) -> dict:
        """{name: value} for each name=function given, kept or computed."""
        found = self.parts.get(
            **{f"{name}:{self.day}": compute for name, compute in computations.items()}
        )
        return {name.rsplit(":", 1)[0]: value for name, value in found.items()}


def member_balance(*, member: Member, today: date) -> JhtBalance:
    return MemberFigures(member=member, today=today).get(
        balance=lambda: jht_balance_for_member(member=member, until_year=today.year)
    )["balance"]

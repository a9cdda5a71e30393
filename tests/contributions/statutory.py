"""The statutory figures of migrations 0002 and 0004 as unsaved objects, for
pure tests that need no database (the golden cases use the loaded tables)."""

import importlib
from decimal import Decimal

from contributions.due_dates import PaymentCalendar
from contributions.models import (
    JkpFunding,
    PaymentTerms,
    ReliefPeriod,
    StatutoryRate,
    WageCap,
)
from contributions.rates import RateBook

_first = importlib.import_module("contributions.migrations.0002_statutory_figures")
_law = importlib.import_module("contributions.migrations.0004_figures_by_the_law")

RATES = [
    StatutoryRate(
        programme=programme,
        payer=payer,
        risk_class=risk_class,
        effective_from=start,
        percent=Decimal(percent),
        source=source,
    )
    for programme, payer, risk_class, start, percent, source in _first.RATES
    if programme != "JKP"  # 0004 removes them: employers pay no JKP
]
CAPS = [
    WageCap(effective_from=start, amount=amount, confirmed=ok, source=source)
    for start, amount, ok, source in _law.WAGE_CAPS
]
RELIEFS = [ReliefPeriod(**relief) for relief in _law.RELIEF_PERIODS]
JKP_FUNDING = [
    JkpFunding(
        effective_from=start,
        percent=Decimal(percent),
        wage_cap=cap,
        government_percent=Decimal(government),
        from_jkk_percent=Decimal(jkk),
        from_jkm_percent=Decimal(jkm),
        confirmed=confirmed,
        source=source,
    )
    for start, percent, cap, government, jkk, jkm, confirmed, source in _law.JKP_FUNDING
]
TERMS = [
    PaymentTerms(
        effective_from=start,
        due_day=day,
        if_not_working_day=shift,
        late_fine_percent=Decimal(fine),
        source=source,
    )
    for start, day, shift, fine, source in _law.PAYMENT_TERMS
]


def rate_book(*, caps=CAPS, reliefs=RELIEFS) -> RateBook:
    return RateBook(RATES, caps, reliefs, JKP_FUNDING)


def payment_calendar(*, holidays=()) -> PaymentCalendar:
    """Weekends and the given holidays are not working days."""
    return PaymentCalendar(TERMS, RELIEFS, holidays)

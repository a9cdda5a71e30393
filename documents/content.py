"""What each document says, gathered as plain data.

The same data gives the same fingerprint, so asking again for a document
whose data did not change returns the stored file instead of a new render.
"""

import hashlib
import json
from datetime import date

from django.db.models import Sum

from claims.models import Claim
from contributions.balance import Withdrawal, jht_balance_for_member
from contributions.models import Contribution, JkpFunding
from contributions.rates import period_end
from contributions.selectors import ROW_FIELDS, checks_for_member

# Bump when a template changes what it shows, so old files are not reused.
# 2: no JKP column (employers pay none); 3: JHT withdrawals (partial claims).
LAYOUT_VERSION = 3


def fingerprint(data: dict) -> str:
    raw = json.dumps({"v": LAYOUT_VERSION, **data}, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def _member(member) -> dict:
    return {
        "name": member.full_name,
        "kpj": member.kpj_number,
        "born": member.date_of_birth,
    }


def contribution_statement(
    *, member, year_from: int, year_to: int, today: date
) -> dict:
    rows = list(
        Contribution.objects.filter(
            member=member,
            period__gte=date(year_from, 1, 1),
            period__lte=date(year_to, 12, 1),
        )
        .order_by("period", "employer__name")
        .values(*ROW_FIELDS)
    )
    totals = {
        field: sum(row[field] for row in rows) for field in Contribution.AMOUNT_FIELDS
    }
    balance = jht_balance_for_member(member=member, until_year=min(year_to, today.year))
    warnings = [
        warning
        for warning in checks_for_member(member=member, today=today).warnings
        if warning.last.year >= year_from and warning.first.year <= year_to
    ]
    return {
        "member": _member(member),
        "year_from": year_from,
        "year_to": year_to,
        "rows": rows,
        "totals": totals,
        "total": sum(totals.values()),
        "balance_years": [y for y in balance.years if year_from <= y.year <= year_to],
        "withdrawals": [
            _withdrawal(w)
            for w in balance.withdrawals
            if year_from <= w.paid_on.year <= year_to
        ],
        "warnings": [
            {
                "label": str(w.label),
                "employer": w.employer_name,
                "first": w.first,
                "last": w.last,
            }
            for w in warnings
        ],
    }


def jht_statement(*, member, year: int, today: date) -> dict:
    balance = jht_balance_for_member(member=member, until_year=year)
    this_year = next((y for y in balance.years if y.year == year), None)
    return {
        "member": _member(member),
        "year": year,
        "balance": this_year,
        "withdrawals": [_withdrawal(w) for w in balance.withdrawals_in(year)],
    }


def _withdrawal(withdrawal: Withdrawal) -> dict:
    return {
        "paid_on": withdrawal.paid_on,
        "amount": withdrawal.amount,
        "claim": withdrawal.claim_number,
    }


def membership_card(*, member, today: date) -> dict:
    latest = (
        Contribution.objects.filter(member=member)
        .order_by("-period")
        .values("period")
        .annotate(
            jht=Sum("jht_employer"),
            jp=Sum("jp_employer"),
            jkk=Sum("jkk"),
            jkm=Sum("jkm"),
        )
        .first()
    )
    programmes = [
        code.upper() for code in ("jht", "jkk", "jkm", "jp") if latest and latest[code]
    ]
    # JKP covers members of JHT, JKK and JKM once it began (PP 37/2021 art. 4);
    # nothing is paid for it, so it shows by the rules, not by an amount.
    if {"JHT", "JKK", "JKM"} <= set(programmes) and JkpFunding.objects.filter(
        effective_from__lte=period_end(latest["period"])
    ).exists():
        programmes.append("JKP")
    return {
        "member": _member(member),
        "programmes": programmes,
        "as_of": latest and latest["period"],
    }


def claim_receipt(*, member, claim_id: int, today: date) -> dict:
    claim = Claim.objects.get(pk=claim_id, member=member)
    decided = claim.status in {
        Claim.Status.APPROVED,
        Claim.Status.PAID,
        Claim.Status.REJECTED,
    }
    decision_note = ""
    if decided:
        event = claim.events.filter(to_status__in=["approved", "rejected"]).last()
        decision_note = event.note if event else ""
    return {
        "member": _member(member),
        "claim": {
            "number": claim.number,
            "programme": claim.get_programme_display(),
            "reason": claim.get_reason_display(),
            "status": claim.status,
            "status_label": claim.get_status_display(),
            "submitted_at": claim.submitted_at,
            "amount": claim.approved_amount,
            "reference": claim.payment_reference,
            "paid_on": claim.paid_on,
            "bank": claim.bank_name,
            "account_end": claim.bank_account_number[-4:],
        },
        "documents": [str(d.get_kind_display()) for d in claim.documents.all()],
        "decided": decided,
        "decision_note": decision_note,
    }


BUILDERS = {
    "contribution_statement": contribution_statement,
    "jht_statement": jht_statement,
    "membership_card": membership_card,
    "claim_receipt": claim_receipt,
}

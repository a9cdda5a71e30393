"""The JHT and contribution statements show a paid partial claim: read back
from the rendered PDF. The balance is the hand-worked one of
tests/claims/test_withdrawals.py (saver_2017: a claim on 15 March 2017, 10 %
paid on 20 March)."""

from datetime import date

import pytest

from claims import services
from claims.models import Claim
from documents.models import GeneratedDocument
from tests.claims.test_withdrawals import approve, partial_claim
from tests.documents.test_documents import read_pdf

pytestmark = pytest.mark.django_db

K = GeneratedDocument.Kind
S = Claim.Status


@pytest.fixture
def withdrawn(saver_2017, staff):
    claim = approve(partial_claim(saver_2017), staff, 143_954)
    services.claim_transition(
        claim_id=claim.pk, to=S.PAID, actor=staff, paid_on=date(2017, 3, 20)
    )
    return claim


def test_the_jht_statement_shows_the_withdrawal(
    saver_2017,
    withdrawn,
    request_document,
):
    document = request_document(saver_2017, K.JHT_STATEMENT, year=2017)

    assert document.status == GeneratedDocument.Status.READY, document.error
    text = read_pdf(document).text
    # Opening 1,239,545; paid 1,200,000; withdrawn 143,954; return 116,871;
    # closing 2,412,462 (worked out in tests/claims/test_withdrawals.py).
    assert "Opening balance Rp 1,239,545" in text
    assert "Contributions Rp 1,200,000" in text
    assert "Withdrawn (partial claims) Rp 143,954" in text
    assert "Development return (7.00%) Rp 116,871" in text
    assert "Closing balance Rp 2,412,462" in text
    assert f"March 20, 2017 {withdrawn.number} Rp 143,954" in text


def test_a_year_without_a_withdrawal_shows_none(
    saver_2017,
    withdrawn,
    request_document,
):
    text = read_pdf(request_document(saver_2017, K.JHT_STATEMENT, year=2016)).text

    assert "Withdrawn" not in text
    assert "Closing balance Rp 1,239,545" in text


def test_the_contribution_statement_shows_the_withdrawal(
    saver_2017,
    withdrawn,
    request_document,
):
    document = request_document(
        saver_2017, K.CONTRIBUTION_STATEMENT, year_from=2016, year_to=2017
    )

    assert document.status == GeneratedDocument.Status.READY, document.error
    text = read_pdf(document).text
    assert "2016 Rp 0 Rp 1,200,000 Rp 0 Rp 39,545 Rp 1,239,545" in text
    assert "2017 Rp 1,239,545 Rp 1,200,000 Rp 143,954 Rp 116,871 Rp 2,412,462" in text
    assert (
        f"Withdrawn: Rp 143,954 paid on March 20, 2017 (partial claim "
        f"{withdrawn.number})." in text
    )

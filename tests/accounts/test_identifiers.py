"""Identifiers read from the official lists: province codes in a NIK, the NPWP."""

import pytest
from django.core.exceptions import ValidationError

from accounts.provinces import PROVINCES
from accounts.validators import NIK_PROVINCE_CODES, normalise_npwp, validate_nik

# Kepmendagri No. 300.2.2-2138 Tahun 2025: the 38 provinces and their codes,
# copied from the decree's list, not from our code.
KEMENDAGRI_2025 = {
    "11": "Aceh",
    "12": "Sumatera Utara",
    "13": "Sumatera Barat",
    "14": "Riau",
    "15": "Jambi",
    "16": "Sumatera Selatan",
    "17": "Bengkulu",
    "18": "Lampung",
    "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau",
    "31": "DKI Jakarta",
    "32": "Jawa Barat",
    "33": "Jawa Tengah",
    "34": "DI Yogyakarta",
    "35": "Jawa Timur",
    "36": "Banten",
    "51": "Bali",
    "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat",
    "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan",
    "64": "Kalimantan Timur",
    "65": "Kalimantan Utara",
    "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah",
    "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara",
    "75": "Gorontalo",
    "76": "Sulawesi Barat",
    "81": "Maluku",
    "82": "Maluku Utara",
    "91": "Papua",
    "92": "Papua Barat",
    "93": "Papua Selatan",
    "94": "Papua Tengah",
    "95": "Papua Pegunungan",
    "96": "Papua Barat Daya",
}


def test_the_province_list_is_the_kemendagri_list():
    assert dict(PROVINCES) == KEMENDAGRI_2025


def test_the_nik_validator_accepts_exactly_the_listed_provinces():
    assert {f"{code:02d}" for code in NIK_PROVINCE_CODES} == set(KEMENDAGRI_2025)


@pytest.mark.parametrize("code", sorted(KEMENDAGRI_2025))
def test_a_nik_from_every_listed_province_is_valid(code):
    validate_nik(f"{code}01011505900001")


@pytest.mark.parametrize("code", ["97", "54", "20", "00", "99"])
def test_a_nik_from_no_listed_province_is_refused(code):
    with pytest.raises(ValidationError, match="valid province code"):
        validate_nik(f"{code}01011505900001")


# --- NPWP -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "stored"),
    [
        ("12.345.678.9-012.000", "123456789012000"),  # as printed on the card
        ("123456789012000", "123456789012000"),
        (" 12.345.678.9-012.000 ", "123456789012000"),
        ("12 345 678 9 012 000", "123456789012000"),
        ("3171015405880001", "3171015405880001"),  # a person's NIK (PMK 112/2022)
        ("0123456789012000", "0123456789012000"),  # older number with a leading 0
        ("0123.4567.8901.2000", "0123456789012000"),
    ],
)
def test_npwp_is_accepted_as_printed_and_kept_as_digits(printed, stored):
    assert normalise_npwp(printed) == stored


FORMAT = (
    "Enter the NPWP as printed on the card, for example 12.345.678.9-012.000, "
    "or your 16-digit NIK."
)


@pytest.mark.parametrize(
    "wrong",
    [
        "",
        "12.345.678.9-012.00",  # 14 digits
        "12.345.678.9/012.000",
        "AB.345.678.9-012.000",
        "12345678901234567",  # 17 digits
    ],
)
def test_a_wrong_npwp_gets_a_message_with_an_example(wrong):
    with pytest.raises(ValidationError) as caught:
        normalise_npwp(wrong)

    assert caught.value.messages == [FORMAT]


def test_a_16_digit_npwp_that_is_no_nik_says_why():
    with pytest.raises(ValidationError) as caught:
        normalise_npwp("3171013205880001")  # day 32

    assert caught.value.messages == [
        "A 16-digit NPWP is your NIK, and this is not a valid NIK: "
        "The birth date inside this NIK is not a valid date."
    ]

"""The statutory order of heirs, case by case, from PP 46/2015 art. 26(3).

(1) widow, widower or children; if none (2) blood relatives in the direct line
to the second degree: parents, grandparents, grandchildren; then (3) brothers
and sisters, (4) parents-in-law, (5) the person named in the will; with no one
and no will, JHT goes to the Balai Harta Peninggalan. Expected groups are
written from that text, not read from accounts.heirs.
"""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Heir, Member
from accounts.profile.heirs import heir_preview
from tests.accounts.test_heirs import (
    add,
    editor_post,
    flat,
    page_text,
    person,
    plain,
    sign_in,
)
from tests.factories import nik_for

TODAY = date(2025, 6, 2)
BORN = {
    "spouse": date(1987, 9, 3),
    "child": date(2014, 2, 25),
    "parent": date(1962, 4, 30),
    "grandparent": date(1940, 1, 12),
    "grandchild": date(2020, 5, 5),
    "sibling": date(1992, 7, 19),
    "parent_in_law": date(1960, 8, 8),
    "other": date(1980, 3, 3),
}
GROUP_2 = "your parents, grandparents and grandchildren"


def heir(relationship: str, serial: int) -> Heir:
    born = BORN[relationship]
    return Heir(
        full_name=f"{relationship} {serial}",
        nik=nik_for(born, female=False, serial=serial),
        relationship=relationship,
        date_of_birth=born,
        share_percent=10,
    )


def receivers(*relationships: str) -> tuple[str, list[str]]:
    heirs = [heir(r, n + 1) for n, r in enumerate(relationships)]
    preview = heir_preview(member=Member(), heirs=heirs, today=TODAY)
    return preview.group_label, sorted(n.relationship for n in preview.receivers)


@pytest.mark.parametrize(
    ("registered", "group", "who"),
    [
        # Group 1 takes everything while anyone in it is registered.
        (["spouse", "parent", "grandparent"], "your spouse and children", ["spouse"]),
        (["child", "grandchild"], "your spouse and children", ["child"]),
        # Group 2: parents, grandparents and grandchildren together.
        (["grandparent"], GROUP_2, ["grandparent"]),
        (["grandchild", "sibling"], GROUP_2, ["grandchild"]),
        (
            ["parent", "grandparent", "grandchild", "sibling", "parent_in_law"],
            GROUP_2,
            ["grandchild", "grandparent", "parent"],
        ),
        # Then brothers and sisters, parents-in-law, the will.
        (
            ["sibling", "parent_in_law", "other"],
            "your brothers and sisters",
            ["sibling"],
        ),
        (["parent_in_law", "other"], "your parents-in-law", ["parent_in_law"]),
        (["other"], "the person named in your will", ["other"]),
    ],
)
def test_the_first_group_with_anyone_in_it_receives(registered, group, who):
    assert receivers(*registered) == (group, who)


def test_with_nobody_registered_jht_goes_to_the_estate_office():
    preview = heir_preview(member=Member(), heirs=[], today=TODAY)

    assert preview.receivers == []
    assert preview.to_estate_office is True


@pytest.mark.django_db
def test_the_page_says_where_jht_goes_when_nobody_qualifies(client, member):
    sign_in(client, member)

    page = flat(page_text(client.get(reverse("accounts:heirs"))))

    assert (
        "With nobody in the order of heirs and no will, your old-age savings (JHT) "
        "would go to the Balai Harta Peninggalan, the state's estate office."
    ) in page
    assert "Not yet confirmed: what happens to the death benefit (JKM)" in page


@pytest.mark.django_db
def test_the_estate_office_is_not_mentioned_above_the_order_when_heirs_exist(
    client, member
):
    add(
        member,
        person(
            "Slamet",
            "grandparent",
            date(1940, 1, 12),
            female=False,
            serial=7,
            share=100,
        ),
    )
    sign_in(client, member)

    response = client.get(reverse("accounts:heirs"))

    assert response.context["preview"].group_label == GROUP_2
    assert "With nobody in the order of heirs" not in page_text(response)


@pytest.mark.django_db
def test_a_grandparent_can_be_registered_in_the_editor(
    client, member, django_capture_on_commit_callbacks
):
    sign_in(client, member)
    grandma = person(
        "Sumiati", "grandparent", date(1941, 2, 3), female=True, serial=9, share=100
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:heirs_edit"), editor_post(new=[grandma])
        )

    assert response.status_code == 302
    assert list(member.heirs.values_list("full_name", "relationship")) == [
        ("Sumiati", "grandparent")
    ]
    page = page_text(client.get(reverse("accounts:heirs")))
    assert "Sumiati (Grandparent) — 100%" in plain(page)

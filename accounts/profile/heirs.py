"""Who would receive JKM and JHT benefits today, by the statutory order of heirs.

The order is that of PP 46/2015 art. 26(3) (JHT), as BPJS Ketenagakerjaan
publishes it: (1) widow or widower, or children; if none, (2) blood relatives
in the direct line up and down to the second degree — parents, grandparents and
grandchildren; then (3) brothers and sisters; (4) parents-in-law; (5) a person
named in the member's will; and with no will, the JHT balance goes to the Balai
Harta Peninggalan (the state's estate office). The first group with anyone in it
receives. BPJS's own explanation lists group 2 in the order parents,
grandchildren, grandparents; the regulation's words make it one group, which we
follow, and the page says so. JKM (PP 44/2015 as amended by PP 82/2019) is paid
in the same order in BPJS's practice; the article that says so, and where JKM
goes when there is nobody, are unconfirmed: the page marks them.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from accounts.models import Heir, MaritalStatus
from ibsu.lib.dates import age_on

R = Heir.Relationship
HEIR_GROUPS = [
    (_("your spouse and children"), {R.SPOUSE, R.CHILD}),
    (
        _("your parents, grandparents and grandchildren"),
        {R.PARENT, R.GRANDPARENT, R.GRANDCHILD},
    ),
    (_("your brothers and sisters"), {R.SIBLING}),
    (_("your parents-in-law"), {R.PARENT_IN_LAW}),
    (_("the person named in your will"), {R.OTHER}),
]
# Children receive the JP survivor pension until this age.
JP_CHILD_AGE_LIMIT = 23


@dataclass
class HeirPreview:
    group_label: str = ""
    receivers: list[Heir] = field(default_factory=list)
    passed_over: list[Heir] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)

    @property
    def to_estate_office(self) -> bool:
        """Nobody registered qualifies: JHT would go to the Balai Harta Peninggalan."""
        return not self.receivers


def heir_preview(*, member, heirs: list[Heir], today: date) -> HeirPreview:
    preview = HeirPreview()
    for label, relationships in HEIR_GROUPS:
        group = [n for n in heirs if n.relationship in relationships]
        if group:
            preview.group_label = str(label)
            preview.receivers = group
            preview.passed_over = [n for n in heirs if n not in group]
            break
    if not heirs:
        preview.gaps.append(
            str(
                _(
                    "You have registered no heirs. Add the people who should receive "
                    "your benefits, so they can claim without delay."
                )
            )
        )
    has_spouse = any(n.relationship == R.SPOUSE for n in heirs)
    if member.marital_status == MaritalStatus.MARRIED and not has_spouse:
        preview.gaps.append(
            str(_("Your profile says you are married, but no spouse is registered."))
        )
    for heir in heirs:
        if (
            heir.relationship == R.CHILD
            and age_on(heir.date_of_birth, today) >= JP_CHILD_AGE_LIMIT
        ):
            preview.gaps.append(
                str(
                    _(
                        "%(name)s is %(limit)d or older, so cannot receive the "
                        "pension (JP) child's benefit; JHT and JKM are not affected."
                    )
                    % {"name": heir.full_name, "limit": JP_CHILD_AGE_LIMIT}
                )
            )
    return preview

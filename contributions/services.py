"""Staff corrections of contribution records and of the statutory figures.

Each write invalidates the page parts it changes (ibsu.lib.page_cache) in its
own transaction: a member's figures for their contributions and employments,
every member's for the figures they are all judged by (rates, caps, reliefs,
holidays, minimum wages, employers). Imports go through contributions.importer.
"""

from django.db import models, transaction

from audit.services import audit_record
from ibsu.lib.page_cache import invalidate


@transaction.atomic
def record_save(*, record: models.Model, actor) -> models.Model:
    """Save a contribution, an employment or a statutory figure, checked."""
    record.full_clean()
    adding = record._state.adding
    moved_from = _stored_member(record)
    record.save()
    _changed(record, actor, "added" if adding else "changed", also=moved_from)
    return record


@transaction.atomic
def record_delete(*, record: models.Model, actor) -> None:
    record.delete()
    _changed(record, actor, "deleted")


def _stored_member(record) -> int | None:
    """The member a stored record belonged to before this change, if any."""
    if record._state.adding or not hasattr(record, "member_id"):
        return None
    return (
        type(record)
        .objects.filter(pk=record.pk)
        .values_list("member_id", flat=True)
        .first()
    )


def _changed(record, actor, what: str, *, also: int | None = None) -> None:
    member_id = getattr(record, "member_id", None)
    if member_id is None:
        invalidate("statutory")
    else:
        invalidate("figures", {member_id, also} - {None})
    audit_record(
        action=f"contributions.{record._meta.model_name}_{what}",
        member=getattr(record, "member", None),
        actor=actor,
        data={"record": str(record)},
    )

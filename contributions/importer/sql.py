"""Quoted table and column names for the importer's SQL, read from the models."""

from types import SimpleNamespace

from django.db import connection

from accounts.models import Member
from contributions.importer.schema import VALUE_FIELDS
from contributions.models import Contribution, Employer


def names() -> SimpleNamespace:
    quote = connection.ops.quote_name

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    return SimpleNamespace(
        member=quote(Member._meta.db_table),
        member_pk=column(Member, "id"),
        figures_version=column(Member, "figures_version"),
        kpj=column(Member, "kpj_number"),
        nik=column(Member, "nik"),
        employer=quote(Employer._meta.db_table),
        employer_pk=column(Employer, "id"),
        npp=column(Employer, "npp"),
        contribution=quote(Contribution._meta.db_table),
        contribution_pk=column(Contribution, "id"),
        key=[column(Contribution, name) for name in ("member", "employer", "period")],
        values=[column(Contribution, name) for name in VALUE_FIELDS],
    )

from django.db import models


class MaintainedFieldsMixin(models.Model):
    """A model with columns kept by UPDATE statements elsewhere (versions moved
    with `F() + 1`, flags kept by signals).

    A whole-row save() of a copy loaded earlier would write back the values it
    loaded: an older version would point readers at a stale cached copy. So a
    save of an existing row leaves these columns to their own writers.
    """

    maintained_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if (
            not self._state.adding
            and self.pk is not None  # not a copy being made by clearing its id
            and kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
            and kwargs.get("using", self._state.db) == self._state.db
        ):
            # What Django would save: the loaded fields, less the maintained ones.
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key
                and field.name not in self.maintained_fields
                and field.attname not in deferred
            ]
        super().save(*args, **kwargs)

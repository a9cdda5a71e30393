from django.db import models


class CachedPartVersion(models.Model):
    """How many times the parts of a scope and owner have changed.

    Kept by ibsu.lib.page_cache.invalidate, in the transaction that changes
    what those parts show; part of every cached part's key. A missing row is
    version 0. Owner 0 stands for a scope that belongs to no one (the
    statutory figures every member's figures depend on).
    """

    scope = models.CharField(max_length=30)
    owner_id = models.BigIntegerField()
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "owner_id"], name="ibsu_cachedpartversion_one_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.owner_id}: {self.version}"

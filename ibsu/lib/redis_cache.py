"""Django's Redis cache, for sessions, members' figures and rate limits.

Two changes to Django's backend:
- one redis.Redis client per connection pool: Django builds a new one for
  every operation, and redis-py fills a table of ~200 response callbacks in
  each; on a signed-in page that set-up cost more than the calls (make bench);
- reads and writes that fail because Redis is unreachable count as a miss and
  a skipped write, so signed-in pages keep working from PostgreSQL during an
  outage. Deletes and counters still fail loudly: a lost delete could let a
  signed-out session come back once Redis returns.
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class _ReusingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class PortalRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except _UNREACHABLE:
            logger.warning("cache unreachable: read treated as a miss")
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except _UNREACHABLE:
            logger.warning("cache unreachable: read treated as a miss")
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except _UNREACHABLE:
            logger.warning("cache unreachable: read treated as a miss")
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except _UNREACHABLE:
            logger.warning("cache unreachable: write skipped")

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except _UNREACHABLE:
            logger.warning("cache unreachable: write skipped")
            return False

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except _UNREACHABLE:
            logger.warning("cache unreachable: write skipped")
            return list(data)

"""Django's Redis cache, keeping one client per connection pool.

Django's client builds a new redis.Redis for every cache operation, and
redis-py fills a table of ~200 response callbacks in each: a signed-in page
makes three cache calls, and that set-up cost more than the calls themselves
(make bench). Clients share their pool's connections and are thread-safe.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


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


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient

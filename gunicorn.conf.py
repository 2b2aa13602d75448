"""gunicorn settings, read by a plain ``gunicorn wsgi:app`` run from the repository root.

Every value can be changed through the environment (below) or on the command line, which wins
over this file.

Worker class: ``gthread``, with many threads per worker.
    The live pages hold one long-lived ``text/event-stream`` response open per viewer
    (``/sessions/<id>/floor/stream``); a ``sync`` worker would be taken by the first stream.
    Between events a stream waits (sleeps on a queue or condition), so it costs a thread's
    stack and holds the GIL only while it writes: a few hundred threads per process are cheap.
    ``gevent`` could hold more streams per process, but it monkey-patches the standard library
    under everything we run: psycopg 3 waits in C (``wait_c``) unless told otherwise,
    SQLAlchemy's pool, APScheduler and the live-update listener (PostgreSQL LISTEN / Redis
    pub/sub in a background thread) all rely on real threads and locks; a single blocking call
    would then freeze every stream of the worker. Threads keep the code ordinary and correct;
    scale by adding workers or instances (the live updates cross instances).

Sizing: ``workers`` x ``threads`` is the number of simultaneous requests, streams included,
one instance serves. The default (2 x 500) is for a 2-core machine and about 1,000 viewers;
a stream must not hold a database connection while it waits (the pool is far smaller).

Timeouts: ``timeout`` is the worker heartbeat (a gthread worker's main loop keeps beating
while its threads stream, so it does not cut streams); ``keepalive`` is short because the
reverse proxy in front reuses connections; ``graceful_timeout`` bounds a restart, after which
open streams are closed and the browsers' EventSource reconnects by itself.

Environment: ``MEETOPS_BIND`` (default ``127.0.0.1:8000``, or ``0.0.0.0:$PORT`` when ``PORT``
is set), ``MEETOPS_WORKERS`` (2), ``MEETOPS_THREADS`` (500), ``MEETOPS_TIMEOUT`` (30),
``MEETOPS_LOG_LEVEL`` (info).

The scheduler never runs in a web worker: exactly one separate process runs
``flask --app wsgi meetops scheduler`` (see docs/deploy.md).
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


if os.environ.get("MEETOPS_BIND"):
    bind = [address.strip() for address in os.environ["MEETOPS_BIND"].split(",")
            if address.strip()]
elif os.environ.get("PORT"):
    bind = [f"0.0.0.0:{_int('PORT', 8000)}"]  # platforms that set PORT expect it
else:
    bind = ["127.0.0.1:8000"]  # behind the reverse proxy on the same machine

worker_class = "gthread"
workers = _int("MEETOPS_WORKERS", 2)
threads = _int("MEETOPS_THREADS", 500)
# Connections a worker accepts at once: every thread busy plus some waiting in keep-alive.
worker_connections = threads + 100
backlog = 2048

timeout = _int("MEETOPS_TIMEOUT", 30)
graceful_timeout = 20
keepalive = 5

# Each worker builds its own app (and its own database pool and live-update listener) after
# the fork: nothing opened in the master is shared across processes.
preload_app = False
# Restarting workers after N requests would cut every open stream: off.
max_requests = 0

# The reverse proxy on the same machine sets X-Forwarded-Proto/For; trust it only from there.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("MEETOPS_LOG_LEVEL", "info")
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# gunicorn 27's control socket defaults to one path per user, which two instances on one
# machine (or the tests' servers) would fight over: only when asked for, at a path of its own.
if os.environ.get("MEETOPS_CONTROL_SOCKET"):
    control_socket = os.environ["MEETOPS_CONTROL_SOCKET"]
else:
    control_socket_disable = True

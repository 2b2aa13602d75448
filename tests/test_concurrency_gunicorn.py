"""gunicorn.conf.py, as gunicorn itself reads it: a worker class for many long-lived streams,
sensible timeouts, the address from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"


def load(monkeypatch, **environ):
    from gunicorn.app.base import Application

    for name in ("MEETOPS_BIND", "PORT", "MEETOPS_WORKERS", "MEETOPS_THREADS",
                 "MEETOPS_TIMEOUT", "MEETOPS_CONTROL_SOCKET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)

    class ConfigOnly(Application):
        """Reads the settings file as ``gunicorn wsgi:app`` does; loads no app."""

        def load_config(self):
            self.load_config_from_file(str(CONF))

        def load(self):
            raise AssertionError("only the configuration is read")

    return ConfigOnly().cfg


def test_threads_for_long_lived_streams(monkeypatch):
    cfg = load(monkeypatch)
    assert cfg.worker_class_str == "gthread"
    assert cfg.workers == 2 and cfg.threads == 500
    assert cfg.worker_connections >= cfg.threads
    assert 10 <= cfg.timeout <= 120 and cfg.keepalive <= 10
    assert cfg.max_requests == 0  # restarting workers would cut the streams
    assert cfg.preload_app is False
    assert cfg.bind == ["127.0.0.1:8000"]


@pytest.mark.parametrize(("environ", "bind"), [
    ({"MEETOPS_BIND": "127.0.0.1:9001"}, ["127.0.0.1:9001"]),
    ({"MEETOPS_BIND": "127.0.0.1:9001, unix:/run/meetops.sock"},
     ["127.0.0.1:9001", "unix:/run/meetops.sock"]),
    ({"PORT": "7000"}, ["0.0.0.0:7000"]),
])
def test_bind_from_the_environment(monkeypatch, environ, bind):
    assert load(monkeypatch, **environ).bind == bind


def test_sizes_from_the_environment(monkeypatch):
    cfg = load(monkeypatch, MEETOPS_WORKERS="4", MEETOPS_THREADS="64", MEETOPS_TIMEOUT="60")
    assert (cfg.workers, cfg.threads, cfg.timeout) == (4, 64, 60)

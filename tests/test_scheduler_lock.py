"""The runner lock belongs to the database: one runner per database, whatever the folder."""

from __future__ import annotations

import os

import pytest

from meetops import create_app
from meetops.extensions import db
from meetops.scheduler import _take_lock


def test_runners_of_two_databases_do_not_block_each_other(tmp_path):
    if os.environ.get("MEETOPS_TEST_DATABASE_URL"):
        pytest.skip("SQLite file locks")
    held = []
    for name in ("one", "one", "two"):
        app = create_app({"SECRET_KEY": "k", "TESTING": True,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / name}.sqlite"})
        app.instance_path = str(tmp_path)  # the same app folder for all three
        with app.app_context():
            held.append(_take_lock(app))
            db.engine.dispose()
    first, second_of_one, two = held
    assert first is not None and two is not None  # one runner per database
    assert second_of_one is None  # the same database: the second stands by
    for lock in (first, two):
        lock.close()

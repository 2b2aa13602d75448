"""Ids in URLs: 0 to 2**31 - 1 match a route; anything larger is a 404 whatever the method."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetops.dbtypes import MAX_INTEGER
from meetops.web import IdConverter

ID = re.compile(f"^{IdConverter.regex}$")


@settings(max_examples=2000, derandomize=True, database=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_the_id_pattern_is_exactly_the_column_range(number):
    assert bool(ID.match(str(number))) == (number <= MAX_INTEGER)


@pytest.mark.parametrize("number", [0, 9, 10**9, MAX_INTEGER - 1, MAX_INTEGER])
def test_edges_inside(number):
    assert ID.match(str(number))


@pytest.mark.parametrize("number", [MAX_INTEGER + 1, 2199999999, 10**10, 2**63])
def test_edges_outside(number):
    assert not ID.match(str(number))


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_a_huge_id_is_not_found_for_every_method(client, method):
    response = getattr(client, method)(f"/api/v1/comments/{MAX_INTEGER + 1}")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"

"""The floor's reads cost a fixed number of queries, whatever the length of the queue and of
the list of past speakers (no query per participant): what keeps the JSON read, the chair's
actions and the broadcaster's state building cheap under load (see docs/performance.md)."""

from __future__ import annotations

from .conftest import bearer, count_queries


def test_reading_the_floor_costs_the_same_with_1_or_8_people_waiting(
        client, floor_session, speakers, make_user):
    chair = make_user("chair")[1]
    base = f"/api/v1/sessions/{floor_session.id}/floor"
    people = speakers(10)

    def ask(person):
        response = client.post(f"{base}/requests", json={"kind": "statement", "language": "es"},
                               headers=bearer(person.token))
        assert response.status_code == 201

    def read():
        assert client.get(base).status_code == 200

    ask(people[0])
    ask(people[1])
    version = client.get(base).get_json()["version"]
    client.post(f"{base}/next", json={"version": version}, headers=bearer(chair))
    version = client.get(base).get_json()["version"]
    client.post(f"{base}/next", json={"version": version}, headers=bearer(chair))
    one_waiting = count_queries(read)[0]  # one done, one speaking, nobody waiting
    ask(people[2])
    small = count_queries(read)[0]
    for person in people[3:]:
        ask(person)
    large = count_queries(read)[0]
    assert large == small, (one_waiting, small, large)
    version = client.get(base).get_json()["version"]
    for _ in range(3):
        response = client.post(f"{base}/next", json={"version": version}, headers=bearer(chair))
        version = response.get_json()["version"]
    assert count_queries(read)[0] == large  # more past speakers: no more queries either

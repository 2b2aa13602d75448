"""The benchmark (benchmarks/run.py) is not a test; this only checks that it imports and reads
its arguments, so that it does not rot between runs."""

from __future__ import annotations


def test_the_benchmark_parses_its_arguments():
    from benchmarks import run

    args = run.parse_args([])
    assert args.viewer_counts == [100, 1000, 2000]
    assert args.item_counts == [10, 100, 1000]
    assert (args.registrations, args.concurrency) == (500, 50)
    quick = run.parse_args(["--viewers", "10", "--skip", "burst,calendar"])
    assert quick.viewer_counts == [10] and quick.skipped == {"burst", "calendar"}
    assert run.pct([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0

"""Scheduled jobs: the interface the features use.

Features schedule work by job id and import path; exactly one runner process executes it
(see issue 3). Until the runner exists these are the stable entry points:

* ``schedule_once(job_id, func_path, run_at, kwargs)``: run ``func_path`` ("module:function")
  once at ``run_at`` (aware UTC), replacing any job with the same id;
* ``cancel(job_id)``: forget a job (no error when it does not exist).

Job functions take only JSON-able keyword arguments and open their own app context.
"""

from __future__ import annotations

from datetime import datetime


def schedule_once(job_id: str, func_path: str, run_at: datetime, kwargs: dict | None = None
                  ) -> None:
    """Schedule ``func_path`` to run once at ``run_at`` (replaces a job with the same id)."""


def cancel(job_id: str) -> None:
    """Remove the job ``job_id`` if it is scheduled."""

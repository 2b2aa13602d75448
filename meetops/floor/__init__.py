"""The floor: the speaker queue of a session, its state machine, the enforced limit and the
live updates (one broadcaster per process feeding Server-Sent Events)."""

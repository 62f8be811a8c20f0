"""The MATCH stage: which of the coalition's positions a change touches, how much and how
urgently (:class:`~alerts.match.decision.Flag`)."""

"""The DELIVER stage: flags become alerts and notices, rendered from templates and sent to
channels exactly once."""

"""The `sptrack` commands, one module per group; `app.cli` registers them on the one app."""

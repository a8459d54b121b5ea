"""Scale-out: `xling translate|audit --ray [ADDRESS]` shards articles across Ray actors.
Exports (by module): plan (--ray options, worker plan), ray_runner/audit_job (the drivers).

Ray is an optional extra (`pip install 'xling[ray]'`); nothing here imports it at module level,
so the core install stays light and `--ray` without Ray is a one-line error.
"""

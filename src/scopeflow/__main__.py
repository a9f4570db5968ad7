"""``python -m scopeflow``: the ``scopeflow`` command line (see :mod:`scopeflow.cli`)."""

from scopeflow.cli import main

raise SystemExit(main())

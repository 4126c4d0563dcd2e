"""meinheld_server.py with meinheld's access log off, for docs/results/2026-12-02/why.md.

`import meinheld` runs meinheld/mlogging.py, which installs an access logger: for every
request it formats an Apache-style line in Python and writes it to stderr (a
logging.StreamHandler). In a container, stderr goes to Docker's log driver.
`server.set_access_logger(None)` removes it (meinheld's own bench/hello/meinheld_server.py
does the same; gunicorn's meinheld worker does it unless --access-logfile is given)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from meinheld import server  # noqa: E402

import common  # noqa: E402

KEEPALIVE_SECONDS = 2

if __name__ == "__main__":
    server.listen((common.host(), common.port()))
    server.set_keepalive(KEEPALIVE_SECONDS)
    server.set_access_logger(None)
    server.run(common.load_app())

"""Run a WSGI app (BENCH_APP=module:attr) in twisted.web.wsgi.WSGIResource on the reactor's
thread pool."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from twisted.internet import reactor  # noqa: E402
from twisted.web.server import Site  # noqa: E402
from twisted.web.wsgi import WSGIResource  # noqa: E402

import common  # noqa: E402

if __name__ == "__main__":
    resource = WSGIResource(reactor, reactor.getThreadPool(), common.load_app())
    reactor.listenTCP(common.port(), Site(resource), interface=common.host())
    reactor.run()

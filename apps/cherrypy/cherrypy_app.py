"""CherryPy app: a WSGI application (cherrypy_app:app) for uwsgi, tornado and twisted, and
CherryPy's own server (cheroot) through cherrypy.quickstart."""

import time

import cherrypy

from common import HELLO, IO_SECONDS, PAYLOAD, cpu_work


class Root:
    @cherrypy.expose
    def hello(self):
        cherrypy.response.headers["Content-Type"] = "text/plain"
        return HELLO

    @cherrypy.expose
    @cherrypy.tools.json_out()
    def json(self):
        # The json_out tool serializes the returned object on every request.
        return PAYLOAD

    @cherrypy.expose
    def cpu(self):
        cpu_work()
        cherrypy.response.headers["Content-Type"] = "text/plain"
        return HELLO

    @cherrypy.expose
    def io(self):
        time.sleep(IO_SECONDS)
        cherrypy.response.headers["Content-Type"] = "text/plain"
        return HELLO


GLOBAL_CONFIG = {
    "environment": "production",
    "log.screen": False,
    "engine.autoreload.on": False,
}

# The WSGI application other servers host (CherryPy handles requests without its engine
# running; its built-in HTTP server only starts in serve()).
cherrypy.config.update(GLOBAL_CONFIG)
app = cherrypy.tree.mount(Root(), "")



def serve(host, port):
    cherrypy.config.update({"server.socket_host": host, "server.socket_port": port})
    cherrypy.quickstart(Root(), "", {"global": GLOBAL_CONFIG})

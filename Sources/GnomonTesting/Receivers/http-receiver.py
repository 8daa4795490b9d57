#!/usr/bin/env python3
"""A real HTTP receiver for the tests (HTTPReceiver.swift): on 127.0.0.1:PORT (0 for a free one),
records each POST to FOLDER/request-NNNN.json (method, path, headers, base64 body), then answers
STATUS with BODY, or never answers when STATUS is "hang". Writes its port to FOLDER/port.

    http-receiver.py FOLDER PORT STATUS BODY
"""
import base64, json, os, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

folder, port, status, answer = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
lock = threading.Lock()
count = [0]

def record(name, value):
    path = os.path.join(folder, name)
    with open(path + ".tmp", "w") as handle:
        handle.write(value)
    os.rename(path + ".tmp", path)

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *arguments):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            count[0] += 1
            number = count[0]
        record("request-%04d.json" % number, json.dumps({
            "method": self.command, "path": self.path,
            "headers": [[name, value] for name, value in self.headers.items()],
            "body": base64.b64encode(body).decode()}))
        if status == "hang":
            while True:
                time.sleep(3600)
        data = answer.encode()
        self.send_response(int(status))
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
server.daemon_threads = True
record("port", str(server.server_address[1]))
server.serve_forever()

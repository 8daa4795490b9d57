#!/usr/bin/env python3
"""The web UI's page timings for scripts/bench ui (run by scripts/bench-ui.sh, not alone).

    bench-ui.py URL TOKEN REPEATS NAME=PATH=READY_JS [...]

Starts chromedriver on a free port with a headless Chromium (Debian's chromium and
chromium-driver), signs in through the form with TOKEN, then opens each page REPEATS times,
each time from about:blank, and waits until READY_JS (a JavaScript expression) is true. Prints
one line a measurement: NAME, the milliseconds from navigation start until the page was ready
(the page's own performance.now()), the JavaScript heap in MiB at that moment, and the number of
elements in the page. Stops chromedriver by its pid on every path.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Driver:
    def __init__(self):
        self.port = free_port()
        self.process = subprocess.Popen(
            ["/usr/bin/chromedriver", f"--port={self.port}", "--allowed-ips=127.0.0.1"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.session = ""
        for _ in range(200):
            try:
                if self.call("GET", "/status").get("ready"):
                    break
            except OSError:
                pass
            time.sleep(0.05)
        else:
            raise SystemExit("chromedriver did not answer within 10 s")
        options = {"binary": "/usr/bin/chromium", "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--window-size=1280,900", "--enable-precise-memory-info"]}
        answer = self.call("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": options}}})
        self.session = answer["sessionId"]

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return json.load(response).get("value")
        except urllib.error.HTTPError as error:
            raise SystemExit(f"WebDriver {method} {path}: {error.code} {error.read()[:300]!r}")

    def command(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def open(self, url):
        self.command("POST", "/url", {"url": url})

    def run(self, script):
        return self.command("POST", "/execute/sync", {"script": script, "args": []})

    def stop(self):
        try:
            if self.session:
                self.call("DELETE", f"/session/{self.session}")
        finally:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=20)


def main():
    url, token, repeats, pages = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    driver = Driver()
    try:
        driver.open(url + "/login")
        driver.run(f"document.querySelector('#token').value = {json.dumps(token)}; "
                   "document.querySelector('form').submit(); return true")
        for _ in range(600):
            if driver.run("return location.pathname") == "/" and driver.run(
                    "return !!document.querySelector('#failures')"):
                break
            time.sleep(0.05)
        else:
            raise SystemExit("signing in did not reach the overview within 30 s")
        for page in pages:
            name, path, ready = page.split("=", 2)
            for _ in range(repeats):
                driver.open("about:blank")
                driver.open(url + path)
                deadline = time.monotonic() + 120
                while True:
                    answer = driver.run(
                        f"if (!({ready})) return null; return [performance.now(), "
                        "performance.memory ? performance.memory.usedJSHeapSize : 0, "
                        "document.getElementsByTagName('*').length]")
                    if answer:
                        break
                    if time.monotonic() > deadline:
                        raise SystemExit(f"{name} ({path}) was not ready within 120 s: {ready}")
                    time.sleep(0.01)
                print(f"{name} {answer[0]:.0f} {answer[1] / 1048576:.1f} {answer[2]}", flush=True)
    finally:
        driver.stop()


if __name__ == "__main__":
    main()

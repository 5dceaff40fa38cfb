#!/usr/bin/env python3
"""cdp.py - drive headless Chromium through its DevTools protocol over a pipe.

    cdp.py CHROMIUM PROFILE_DIR SCRIPT.json

Starts CHROMIUM headless with --remote-debugging-pipe (the protocol on fds 3
and 4, NUL-separated JSON: no port, no websocket, no download) and a fresh
profile, runs the steps of SCRIPT (a JSON list), prints one JSON line per
step result, and stops the browser (its whole process group) by id. Exit 0
when every step ran, 1 otherwise. Every wait is bounded.

Steps:
    {"go": URL}                 navigate, wait for the load event
    {"eval": EXPR}              print EXPR's value (Runtime.evaluate, by value)
    {"click": CSS}              click the first element matching CSS, wait
                                for the next page's load event
    {"shot": FILE}              save a PNG screenshot (for people to look at)
    {"responses": true}         print every HTTP response seen so far:
                                [[status, url], ...], and failed loads
"""
import json
import os
import select
import signal
import subprocess
import sys
import time

chromium, profile, script = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
DEADLINE = time.monotonic() + 60

to_browser_r, to_browser_w = os.pipe()
from_browser_r, from_browser_w = os.pipe()


def child_fds():
    # the protocol's fds: 3 the browser reads, 4 it writes (through fds out
    # of the way first: either pipe end may be 3 or 4 already)
    a, b = os.dup(to_browser_r), os.dup(from_browser_w)
    a, b = os.dup2(a, 100), os.dup2(b, 101)
    os.dup2(100, 3)
    os.dup2(101, 4)


proc = subprocess.Popen(
    [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
     "--disable-background-networking", "--disable-component-update", "--disable-sync",
     "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--remote-debugging-pipe",
     "--window-size=1024,768", "about:blank"],
    preexec_fn=child_fds, pass_fds=(3, 4), start_new_session=True,
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(to_browser_r)
os.close(from_browser_w)

buf = b""
next_id = 0
events = []
session = None


def send(method, params=None, with_session=True):
    global next_id
    next_id += 1
    msg = {"id": next_id, "method": method, "params": params or {}}
    if with_session and session:
        msg["sessionId"] = session
    os.write(to_browser_w, json.dumps(msg).encode() + b"\0")
    return next_id


def read_message():
    global buf
    while b"\0" not in buf:
        left = DEADLINE - time.monotonic()
        if left <= 0 or not select.select([from_browser_r], [], [], left)[0]:
            raise TimeoutError("no answer from the browser")
        chunk = os.read(from_browser_r, 1 << 20)
        if not chunk:
            raise EOFError("the browser closed the pipe")
        buf += chunk
    msg, _, buf = buf.partition(b"\0")
    return json.loads(msg)


def call(method, params=None, with_session=True):
    want = send(method, params, with_session)
    while True:
        m = read_message()
        if m.get("id") == want:
            if "error" in m:
                raise RuntimeError("%s: %s" % (method, m["error"]))
            return m.get("result", {})
        events.append(m)


def wait_event(name, since):
    """Wait for event name among events from index since on."""
    i = since
    while True:
        while i < len(events):
            if events[i].get("method") == name:
                return events[i]
            i += 1
        events.append(read_message())


def responses():
    seen = [[e["params"]["response"]["status"], e["params"]["response"]["url"]]
            for e in events if e.get("method") == "Network.responseReceived"]
    failed = [e["params"].get("errorText") for e in events if e.get("method") == "Network.loadingFailed"]
    return {"responses": seen, "failed": failed}


ok = True
try:
    target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Network", "Runtime"):
        call(domain + ".enable")
    for step in script:
        if "go" in step:
            mark = len(events)
            call("Page.navigate", {"url": step["go"]})
            wait_event("Page.loadEventFired", mark)
            print(json.dumps({"go": step["go"]}))
        elif "eval" in step:
            r = call("Runtime.evaluate", {"expression": step["eval"], "returnByValue": True})
            print(json.dumps({"eval": step["eval"], "value": r.get("result", {}).get("value")}))
        elif "click" in step:
            mark = len(events)
            call("Runtime.evaluate", {"expression": "document.querySelector(%s).click()" % json.dumps(step["click"])})
            wait_event("Page.loadEventFired", mark)
            print(json.dumps({"click": step["click"]}))
        elif "shot" in step:
            import base64
            png = call("Page.captureScreenshot", {"format": "png"})["data"]
            open(step["shot"], "wb").write(base64.b64decode(png))
            print(json.dumps({"shot": step["shot"]}))
        elif "responses" in step:
            print(json.dumps(responses()))
        sys.stdout.flush()
except Exception as e:  # a step that cannot finish: say which, and fail
    print(json.dumps({"error": "%s: %s" % (type(e).__name__, e)}))
    ok = False
finally:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=5)
    except Exception:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
sys.exit(0 if ok else 1)

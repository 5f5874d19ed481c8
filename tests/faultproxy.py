#!/usr/bin/python3
"""faultproxy.py - an HTTP/1.1 proxy between a till and duka-hub that
breaks requests on a fixed schedule, for tests/sync_faults.sh.

    faultproxy.py PORTFILE UPSTREAMFILE PLANFILE [DELAY_SECONDS]

Listens on 127.0.0.1 (a free port, written to PORTFILE). For every request
it reads the upstream "http://HOST:PORT" from UPSTREAMFILE and the plan
from PLANFILE (faults separated by commas; request number N, counted from
0 over all connections, gets fault N modulo the plan's length), so that a
test can restart the hub on another port or change the plan while the
proxy runs. Faults:

    ok      forward the request, relay the reply
    reset   close the connection (RST) without forwarding anything
    500     answer 500 without forwarding
    delay   forward (the hub commits), hold the reply DELAY seconds
            (default 2: past the till's timeout), then close
    cut     forward, send the first half of the reply, close
    lost    forward (the hub commits), close without answering

When the upstream cannot be reached the connection is reset, as a
network outage looks to the till. Every request is logged on stdout as
"N FAULT METHOD PATH -> STATUS".
"""
import http.client
import socket
import socketserver
import struct
import sys
import threading
import time

PORTFILE, UPSTREAMFILE, PLANFILE = sys.argv[1:4]
DELAY = float(sys.argv[4]) if len(sys.argv) > 4 else 2.0

lock = threading.Lock()
counter = [0]


def next_fault():
    with open(PLANFILE) as f:
        plan = [p.strip() for p in f.read().split(",") if p.strip()]
    with lock:
        n = counter[0]
        counter[0] += 1
    return n, plan[n % len(plan)] if plan else "ok"


def upstream():
    with open(UPSTREAMFILE) as f:
        url = f.read().strip()
    hostport = url.split("://", 1)[-1].rstrip("/")
    host, _, port = hostport.rpartition(":")
    return host, int(port)


def reset(sock):
    # SO_LINGER with a zero timeout: close() sends RST.
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                        struct.pack("ii", 1, 0))
    except OSError:
        pass


class Handler(socketserver.BaseRequestHandler):
    def read_request(self, buf):
        while b"\r\n\r\n" not in buf:
            chunk = self.request.recv(65536)
            if not chunk:
                return None, buf
            buf += chunk
        head, _, rest = buf.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        want = int(headers.get("content-length", "0"))
        while len(rest) < want:
            chunk = self.request.recv(max(65536, want - len(rest)))
            if not chunk:
                return None, b""
            rest += chunk
        return (method, path, headers, rest[:want]), rest[want:]

    def forward(self, method, path, headers, body):
        host, port = upstream()
        conn = http.client.HTTPConnection(host, port, timeout=30)
        fwd = {k: v for k, v in headers.items()
               if k in ("authorization", "content-type", "accept")}
        conn.request(method, path, body=body if body else None, headers=fwd)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        out = ("HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
               "Content-Length: %d\r\n\r\n" % (resp.status, resp.reason,
                                                 len(data))).encode()
        return resp.status, out + data

    def handle(self):
        buf = b""
        while True:
            try:
                req, buf = self.read_request(buf)
            except (OSError, ValueError):
                return
            if req is None:
                return
            method, path, headers, body = req
            n, fault = next_fault()
            status = "-"
            try:
                if fault == "reset":
                    reset(self.request)
                    return
                if fault == "500":
                    msg = b'{"error": "injected failure"}'
                    self.request.sendall(
                        b"HTTP/1.1 500 Internal Server Error\r\n"
                        b"Content-Type: application/json\r\n"
                        b"Content-Length: %d\r\n\r\n" % len(msg) + msg)
                    status = 500
                    continue
                try:
                    status, reply = self.forward(method, path, headers, body)
                except OSError:
                    status = "down"
                    reset(self.request)
                    return
                if fault == "delay":
                    time.sleep(DELAY)
                    return
                if fault == "cut":
                    self.request.sendall(reply[:len(reply) // 2])
                    return
                if fault == "lost":
                    return
                self.request.sendall(reply)
            except OSError:
                return
            finally:
                print(n, fault, method, path.split("?")[0], "->", status,
                      flush=True)


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    srv = Server(("127.0.0.1", 0), Handler)
    with open(PORTFILE + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    import os
    os.rename(PORTFILE + ".tmp", PORTFILE)
    srv.serve_forever()


if __name__ == "__main__":
    main()

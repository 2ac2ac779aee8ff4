#!/usr/bin/env python3
"""A misbehaving mailcow on loopback, for the fault tests.

It plays mailcow's domain administrator sign-in (login page, login POST, API call) and fails
at one step in one way. Every answer closes its connection, so connection N serves step N
(1 login page, 2 login POST, 3 first API call) and faults of the TLS layer hit that step.

  fault-server.py --fault NAME --step page|post|api --port-file F --log F [--cert C --key K]

Without --cert it speaks plain http (the app allows it on loopback only). The log records
one line per request it read: the step, and "password" when a login POST carried it, and
"logout" for a sign-out.
"""
import argparse
import os
import socket
import ssl
import sys
import time
import threading
import warnings

# TLS 1.0 and 1.1 are what some faults are about.
warnings.simplefilter("ignore", DeprecationWarning)

STEPS = {"page": 1, "post": 2, "api": 3}

LOGIN_PAGE = (b"<!DOCTYPE html><html><body><form method=\"post\">"
              b"<input name=\"login_user\"><input name=\"pass_user\" type=\"password\">"
              b"</form></body></html>")

args = None
log_lock = threading.Lock()
connections = 0
connections_lock = threading.Lock()


def record(line):
    with log_lock, open(args.log, "a") as f:
        f.write(line + "\n")


def tls_context(version=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    if version is not None:
        ctx.minimum_version = version
        ctx.maximum_version = version
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    return ctx


def read_request(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return None, None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(4096)
        if not chunk:
            break
        body += chunk
    return head.split(b"\r\n")[0].decode("latin-1"), body


def answer(conn, status, body, content_type="text/html", extra=b""):
    conn.sendall(b"HTTP/1.1 " + status + b"\r\nContent-Type: " + content_type.encode() +
                 b"\r\nContent-Length: " + str(len(body)).encode() +
                 b"\r\nConnection: close\r\n" + extra + b"\r\n" + body)


def mailbox_list(count):
    one = ('{"active":1,"active_int":1,"attributes":{"force_pw_update":"0","tls_enforce_in":"0",'
           '"tls_enforce_out":"0","sogo_access":"1","imap_access":"1","pop3_access":"1",'
           '"smtp_access":"1","sieve_access":"1","relayhost":"0","passwd_update":"2026-01-01 '
           '00:00:00","mailbox_format":"maildir:","quarantine_notification":"hourly",'
           '"quarantine_category":"reject"},"custom_attributes":{},"domain":"example.test",'
           '"domain_active":1,"is_relayed":0,"name":"Mailbox %d","last_imap_login":"0",'
           '"last_smtp_login":"0","last_pop3_login":"0","last_sso_login":"0",'
           '"local_part":"user%d","max_new_quota":10737418240,"messages":1234,'
           '"percent_in_use":12,"percent_class":"success","quota":3221225472,'
           '"quota_used":386547056,"rl":false,"rl_scope":"mailbox","spam_aliases":0,'
           '"pushover_active":0,"username":"user%d@example.test","created":"2026-01-01 '
           '00:00:00","modified":"2026-01-02 00:00:00","tags":["staff","paris"]}')
    return ("[" + ",".join(one % (i, i, i) for i in range(count)) + "]").encode()


def http_fault(conn, fault):
    """The faults of the HTTP layer; True when this step's answer was one."""
    if fault == "huge-length":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                     b"Content-Length: 2147483648\r\nConnection: close\r\n\r\n")
        piece = b"x" * 65536
        for _ in range(32768):  # 2 GiB at most, as announced, until the app hangs up
            conn.sendall(piece)
        return True
    if fault == "endless-chunked":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        piece = b"%x\r\n%s\r\n" % (65536, b"[" * 65536)
        while True:
            conn.sendall(piece)
    if fault == "nested-json":
        answer(conn, b"200 OK", b"[" * 200000, "application/json")
        return True
    if fault == "wide-json":
        # As many values as the app accepts, each as small as can be.
        answer(conn, b"200 OK", b"[" + b"0," * 599998 + b"0]", "application/json")
        return True
    if fault == "long-strings-json":
        # Just under the JSON limit, in a thousand long strings.
        answer(conn, b"200 OK", b"[" + b",".join([b'"' + b"s" * 16500 + b'"'] * 1000) + b"]",
               "application/json")
        return True
    if fault == "dense-json":
        # As many object members as the app accepts, filling the JSON limit.
        obj = b"{" + b",".join(b'"k%03d":"%s"' % (i, b"v" * 12) for i in range(990)) + b"}"
        answer(conn, b"200 OK", b"[" + b",".join([obj] * 600) + b"]", "application/json")
        return True
    if fault == "mailbox-list":
        # A 10 000-mailbox get/mailbox/all where one object was expected.
        answer(conn, b"200 OK", mailbox_list(10000), "application/json")
        return True
    if fault == "garbage-after-tls":
        conn.sendall(b"\x00\x01\x02 this is not HTTP \xff\xfe\r\n\r\n")
        return True
    return False


def serve(conn, number):
    step = STEPS[args.step]
    fault = args.fault if number == step else None
    try:
        if args.cert:
            if fault == "handshake-failure":
                conn.recv(16384)  # the ClientHello, answered with a fatal handshake_failure alert
                conn.sendall(b"\x15\x03\x03\x00\x02\x02\x28")
                return
            if fault == "not-tls":
                conn.recv(16384)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
                return
            version = {"tls1.0": ssl.TLSVersion.TLSv1,
                       "tls1.1": ssl.TLSVersion.TLSv1_1}.get(fault)
            conn = tls_context(version).wrap_socket(conn, server_side=True)
        line, body = read_request(conn)
        if line is None:
            return
        method, path = line.split(" ")[:2]
        if method == "POST" and b"logout=1" in body:
            record("logout")
            answer(conn, b"302 Found", b"", extra=b"Location: /\r\n")
            return
        if path.startswith("/api/"):
            record("api")
        elif method == "POST":
            record("post password" if b"pass_user=" in body else "post")
        else:
            record("page")
        if fault is not None and http_fault(conn, fault):
            return
        if path.startswith("/api/"):
            answer(conn, b"200 OK", b"{}", "application/json")
        elif method == "POST":
            answer(conn, b"302 Found", b"", extra=b"Location: /domainadmin/mailbox\r\n"
                   b"Set-Cookie: PHPSESSID=fault; path=/\r\n")
        else:
            answer(conn, b"200 OK", LOGIN_PAGE)
    except (OSError, ssl.SSLError, ValueError):
        pass
    finally:
        try:
            conn.close()
        except OSError:
            pass


def main():
    global args, connections
    parser = argparse.ArgumentParser()
    parser.add_argument("--fault", required=True)
    parser.add_argument("--step", choices=STEPS.keys(), required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    args = parser.parse_args()

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(listener.getsockname()[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    while True:
        conn, _ = listener.accept()
        with connections_lock:
            connections += 1
            number = connections
        threading.Thread(target=serve, args=(conn, number), daemon=True).start()


if __name__ == "__main__":
    main()

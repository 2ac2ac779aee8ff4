#!/usr/bin/env python3
"""The command line against a misbehaving server: every fault at every step of the sign-in
ends with exit status 1 and one true sentence, in English and in French, within 35 s and
with a peak memory under 100 MiB above the app's idle figure (one parsed case excepted, see
DENSE_MEMORY_LIMIT_KIB).

  test-fault-cli.py APP FAULT_SERVER       (TAP on standard output)

The test CA and the server certificate are made here with certtool; the app trusts that CA
only, through HES_MAILCOW_TEST_CA.
"""
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time

APP, SERVER = sys.argv[1], sys.argv[2]
TIME_LIMIT = 35
MEMORY_LIMIT_KIB = 100 * 1024
# An answer within the JSON limits is parsed whole, and json-glib spends about 200 bytes on
# each object member: a real 10 000-mailbox list (8.9 MB, 440 000 values) peaks 87 MiB above
# idle, and the densest answer the limits let through (600 000 short members) about 135 MiB.
# That one case has its own bound; every refused answer stays under 100 MiB.
DENSE_MEMORY_LIMIT_KIB = 150 * 1024

# Under AddressSanitizer freed memory waits in a quarantine (256 MiB by default) that counts
# in the resident size: the memory bound is checked in the normal build only. There, with the
# complete unwinder on every allocation, a sign-in over TLS takes 10 to 25 s and parsing the
# largest answers over a minute: the sanitizer build runs every fault once, in English,
# without the answers at the JSON limits (which only measure memory), within twice the time.
UNDER_ASAN = "ASAN_OPTIONS" in os.environ
if UNDER_ASAN:
    TIME_LIMIT *= 2
LIMIT_CASES = ("wide-json", "long-strings-json", "dense-json", "mailbox-list")

TOO_LARGE = ("The server sent a far larger answer than expected, so the app stopped reading it",
             "Le serveur a envoyé une réponse bien plus grande que prévu, l’application a donc "
             "cessé de la lire")
MALFORMED = ("The server sent an answer the app cannot read",
             "Le serveur a envoyé une réponse que l’application ne sait pas lire")
OLD_TLS = ("The server only offers an outdated secure connection (older than TLS 1.2), so the "
           "app sent nothing to it",
           "Le serveur ne propose qu’une connexion sécurisée dépassée (antérieure à TLS 1.2), "
           "l’application ne lui a donc rien envoyé")
HANDSHAKE = ("The app and the server could not agree on a secure connection: contact",
             "L’application et le serveur n’ont pas pu s’accorder sur une connexion sécurisée\u00a0: "
             "contactez")
HANDSHAKE_KEPT = ("The app and the server could not agree on a secure connection, so your "
                  "password was not sent",
                  "L’application et le serveur n’ont pas pu s’accorder sur une connexion "
                  "sécurisée, votre mot de passe n’a donc pas été envoyé")

# (fault, step, tls, expected sentence pair, the password must not reach the server)
CASES = []
for step in ("page", "post", "api"):
    CASES += [("huge-length", step, True, TOO_LARGE, False),
              ("endless-chunked", step, True, TOO_LARGE, False),
              ("huge-length", step, False, TOO_LARGE, False),
              ("endless-chunked", step, False, TOO_LARGE, False),
              ("garbage-after-tls", step, True, MALFORMED, False),
              ("tls1.0", step, True, OLD_TLS, step == "post"),
              ("tls1.1", step, True, OLD_TLS, step == "post"),
              ("handshake-failure", step, True,
               HANDSHAKE_KEPT if step == "post" else HANDSHAKE, step == "post"),
              # glib-networking reports a peer that answers no TLS at all as a failed
              # handshake, which is what the app knows of it.
              ("not-tls", step, True, HANDSHAKE_KEPT if step == "post" else HANDSHAKE,
               step == "post")]
CASES += [("nested-json", "api", True, MALFORMED, False),
          ("nested-json", "api", False, MALFORMED, False),
          ("wide-json", "api", False, MALFORMED, False),
          ("long-strings-json", "api", False, MALFORMED, False),
          ("dense-json", "api", False, MALFORMED, False),
          ("mailbox-list", "api", False, MALFORMED, False)]

tmp = tempfile.mkdtemp(prefix="hes-fault-")


def make_certificates():
    def certtool(*argv):
        subprocess.run(["certtool", *argv], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

    with open(f"{tmp}/ca.tmpl", "w") as f:
        f.write('cn = "Fault test CA"\nexpiration_days = 2\nca\ncert_signing_key\n')
    with open(f"{tmp}/server.tmpl", "w") as f:
        f.write('cn = "127.0.0.1"\nexpiration_days = 2\nip_address = "127.0.0.1"\n'
                'dns_name = "localhost"\ntls_www_server\nsigning_key\nencryption_key\n')
    for name in ("ca", "server"):
        certtool("--generate-privkey", "--key-type=ecdsa", "--curve=secp256r1",
                 "--outfile", f"{tmp}/{name}-key.pem")
    certtool("--generate-self-signed", "--load-privkey", f"{tmp}/ca-key.pem",
             "--template", f"{tmp}/ca.tmpl", "--outfile", f"{tmp}/ca.pem")
    certtool("--generate-certificate", "--load-privkey", f"{tmp}/server-key.pem",
             "--load-ca-certificate", f"{tmp}/ca.pem", "--load-ca-privkey", f"{tmp}/ca-key.pem",
             "--template", f"{tmp}/server.tmpl", "--outfile", f"{tmp}/server.pem")


def start_server(fault, step, tls):
    port_file, log = f"{tmp}/port", f"{tmp}/log"
    for path in (port_file, log):
        if os.path.exists(path):
            os.unlink(path)
    open(log, "w").close()
    argv = [sys.executable, SERVER, "--fault", fault, "--step", step, "--port-file", port_file,
            "--log", log]
    if tls:
        argv += ["--cert", f"{tmp}/server.pem", "--key", f"{tmp}/server-key.pem"]
    server = subprocess.Popen(argv)
    deadline = time.monotonic() + 10
    while not os.path.exists(port_file):
        if time.monotonic() > deadline or server.poll() is not None:
            raise RuntimeError("the fault server did not start")
        time.sleep(0.05)
    with open(port_file) as f:
        port = int(f.read())
    return server, f"{'https' if tls else 'http'}://127.0.0.1:{port}", log


def run_app(url, french):
    env = dict(os.environ, HES_MAILCOW_TEST_CA=f"{tmp}/ca.pem")
    if french:
        env.update(LANGUAGE="fr", LC_ALL="fr_FR.UTF-8")
    else:
        env.update(LANGUAGE="C", LC_ALL="C.UTF-8")
    start = time.monotonic()
    child = subprocess.Popen([APP, "--check-dns", "example.test", "--server", url, "--user",
                              "admin@example.test"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    child.stdin.write(b"Fault-Pa55word\n")
    child.stdin.close()
    # The app writes little; reading after the end cannot block it.
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.monotonic() - start
    stderr = child.stderr.read().decode("utf-8", "replace")
    child.stdout.close()
    child.stderr.close()
    return os.waitstatus_to_exitcode(status), stderr, elapsed, usage.ru_maxrss


def idle_figure():
    """The app's peak memory when the server cannot even be reached."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    _, _, _, maxrss = run_app(f"https://127.0.0.1:{port}", False)
    return maxrss


def main():
    cases = [c for c in CASES if not (UNDER_ASAN and c[0] in LIMIT_CASES)]
    languages = (False,) if UNDER_ASAN else (False, True)
    make_certificates()
    idle = idle_figure()
    total = len(cases) * len(languages)
    print(f"1..{total}")
    print(f"# idle peak memory: {idle // 1024} MiB")
    n = 0
    failed = 0
    for fault, step, tls, sentences, password_kept in cases:
        for french in languages:
            n += 1
            name = f"{fault} at {step} over {'https' if tls else 'http'} ({'fr' if french else 'en'})"
            server, url, log = start_server(fault, step, tls)
            try:
                code, stderr, elapsed, maxrss = run_app(url, french)
            finally:
                server.kill()
                server.wait()
            with open(log) as f:
                requests = f.read().split("\n")
            problems = []
            if code != 1:
                problems.append(f"exit status {code}")
            if sentences[1 if french else 0] not in stderr:
                problems.append(f"unexpected sentence: {stderr.strip()!r}")
            if elapsed > TIME_LIMIT:
                problems.append(f"took {elapsed:.1f} s")
            limit = DENSE_MEMORY_LIMIT_KIB if fault == "dense-json" else MEMORY_LIMIT_KIB
            if not UNDER_ASAN and maxrss - idle > limit:
                problems.append(f"peak memory {maxrss // 1024} MiB, idle {idle // 1024} MiB")
            if password_kept and "post password" in requests:
                problems.append("the password reached the server")
            status = "not ok" if problems else "ok"
            failed += bool(problems)
            print(f"{status} {n} - {name}: {elapsed:.1f} s, +{(maxrss - idle) // 1024} MiB"
                  + (": " + "; ".join(problems) if problems else ""))
            sys.stdout.flush()
    shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

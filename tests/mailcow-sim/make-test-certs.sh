#!/bin/sh
# Makes the simulator's test certificates with certtool (gnutls-bin). Run from this folder;
# the results are committed in certs/ so builds need no certtool.
#   ca.pem / ca-key.pem                 a test CA (clients that trust it accept server.pem)
#   server.pem / server-key.pem         127.0.0.1 and localhost, signed by the test CA
#   self-signed.pem / self-signed-key.pem  127.0.0.1 and localhost, signed by itself
#   wrong-host.pem / wrong-host-key.pem    other.example only, signed by the test CA
#   expired.pem / expired-key.pem       127.0.0.1 and localhost, expired in 2021
set -eu
cd "$(dirname "$0")/certs"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

key () { certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 --outfile "$1" 2>/dev/null; }

cat > "$tmp/ca.tmpl" <<T
cn = "Hosterra Test CA"
organization = "Hosterra tests"
serial = 1
expiration_days = 9000
ca
cert_signing_key
crl_signing_key
T
key ca-key.pem
certtool --generate-self-signed --load-privkey ca-key.pem --template "$tmp/ca.tmpl" \
  --outfile ca.pem 2>/dev/null

server_tmpl () {
  cat > "$tmp/$1.tmpl" <<T
cn = "$2"
organization = "Hosterra tests"
serial = $3
expiration_days = 9000
$4
tls_www_server
signing_key
encryption_key
T
}

server_tmpl server 127.0.0.1 2 'dns_name = "localhost"
ip_address = "127.0.0.1"'
key server-key.pem
certtool --generate-certificate --load-privkey server-key.pem --load-ca-certificate ca.pem \
  --load-ca-privkey ca-key.pem --template "$tmp/server.tmpl" --outfile server.pem 2>/dev/null

server_tmpl self 127.0.0.1 3 'dns_name = "localhost"
ip_address = "127.0.0.1"'
key self-signed-key.pem
certtool --generate-self-signed --load-privkey self-signed-key.pem --template "$tmp/self.tmpl" \
  --outfile self-signed.pem 2>/dev/null

server_tmpl wrong other.example 4 'dns_name = "other.example"'
key wrong-host-key.pem
certtool --generate-certificate --load-privkey wrong-host-key.pem --load-ca-certificate ca.pem \
  --load-ca-privkey ca-key.pem --template "$tmp/wrong.tmpl" --outfile wrong-host.pem 2>/dev/null

cat > "$tmp/expired.tmpl" <<T
cn = "127.0.0.1"
organization = "Hosterra tests"
serial = 5
activation_date = "2020-01-01 00:00:00 UTC"
expiration_date = "2021-01-01 00:00:00 UTC"
dns_name = "localhost"
ip_address = "127.0.0.1"
tls_www_server
signing_key
encryption_key
T
key expired-key.pem
certtool --generate-certificate --load-privkey expired-key.pem --load-ca-certificate ca.pem \
  --load-ca-privkey ca-key.pem --template "$tmp/expired.tmpl" --outfile expired.pem 2>/dev/null

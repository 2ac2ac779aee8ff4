#!/usr/bin/python3
"""Checks a registration (and optionally an assertion) made by the app with python3-fido2.

An independent verifier: Yubico's python-fido2 (Debian's python3-fido2) runs the server side
of WebAuthn on what the app would post to mailcow. Input: one JSON file (argument 1) with
standard base64 binary values:
  {"rp_id": "...", "origin": "https://...", "user_verification": "required"|"discouraged",
   "challenge": "<base64url>", "clientDataJSON": "...", "attestationObject": "...",
   "root": "<DER attestation root; absent: self attestation required>",
   "assertion": {"challenge": "<base64url>", "id": "...", "clientDataJSON": "...",
                 "authenticatorData": "...", "signature": "..."}}   (assertion optional)
Prints one line per check and exits 0 only if every check passed.
"""
import base64
import json
import sys

from fido2.attestation import PackedAttestation
from fido2.attestation.base import AttestationType, verify_x509_chain
from fido2.client import ClientData
from fido2.ctap2 import AttestationObject, AuthenticatorData
from fido2.server import Fido2Server
from fido2.webauthn import PublicKeyCredentialRpEntity


def attestation_checker(root):
    """Packed attestation: SELF when no root is given, else BASIC with a chain up to root."""
    def check(attestation_object, client_data_hash):
        # The stock verifier wants a trust path; packed self attestation has none, so check
        # the signature here and require the expected attestation type.
        result = PackedAttestation().verify(
            attestation_object.att_statement, attestation_object.auth_data, client_data_hash)
        if root is None:
            if result.attestation_type != AttestationType.SELF:
                raise ValueError("not self attestation: %s" % result.attestation_type)
        else:
            if result.attestation_type != AttestationType.BASIC:
                raise ValueError("not basic attestation: %s" % result.attestation_type)
            verify_x509_chain(result.trust_path + [root])
    return check


def main():
    with open(sys.argv[1]) as f:
        data = json.load(f)
    rp = PublicKeyCredentialRpEntity(data["rp_id"], "mailcow")
    root = base64.b64decode(data["root"]) if "root" in data else None
    server = Fido2Server(rp, attestation="direct", verify_attestation=attestation_checker(root),
                         verify_origin=lambda origin: origin == data["origin"])
    state = {"challenge": data["challenge"], "user_verification": data["user_verification"]}
    attestation = AttestationObject(base64.b64decode(data["attestationObject"]))
    if attestation.fmt != "packed":
        raise ValueError("fmt is %r" % attestation.fmt)
    auth_data = server.register_complete(
        state, ClientData(base64.b64decode(data["clientDataJSON"])), attestation)
    credential = auth_data.credential_data
    print("registration OK flags=0x%02x" % auth_data.flags)

    assertion = data.get("assertion")
    if assertion is not None:
        state = {"challenge": assertion["challenge"],
                 "user_verification": data["user_verification"]}
        server.authenticate_complete(
            state, [credential], base64.b64decode(assertion["id"]),
            ClientData(base64.b64decode(assertion["clientDataJSON"])),
            AuthenticatorData(base64.b64decode(assertion["authenticatorData"])),
            base64.b64decode(assertion["signature"]))
        print("assertion OK")


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # report any refusal as a failed check
        print("REFUSED: %s: %s" % (type(e).__name__, e))
        sys.exit(1)

#!/usr/bin/env python3
"""Proof-token interoperability with the official OpenLeash Python SDK and pyseto.

Needs `openleash-sdk==0.3.0` (imports as `openleash`) and `pyseto` (the SDK depends on it).
Driven by the Rust test `tests/cli/interop.rs`; each subcommand prints one JSON object on stdout
and exits 0 on success, 1 when a check fails, 2 on usage errors.

  verify-ours --token T --keys-file F [--expect-claims JSON]
      (a) The SDK's verify_proof_offline must accept a token issued by openleash, with the keys
      in the /v1/public-keys shape, and return exactly the expected claims (order included).
  make --ttl-seconds N
      (b) Make tokens with pyseto's Paseto.encode (v4.public, no footer, upstream claim order)
      from a fresh key pair made by the SDK, for `openleash verify --public-key` to check.
  vector --file testvectors.json
      The SDK on upstream's own vector token: signature accepted, then "Token expired" (it is
      from 2024) with the vector's claims.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import uuid
from datetime import datetime, timedelta, timezone

import pyseto
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_der_private_key,
)
from openleash import generate_ed25519_keypair, verify_proof_offline
from pyseto import Key, Paseto


def iso_ms(dt: datetime) -> str:
    """JavaScript toISOString(): UTC, three fractional digits, Z."""
    dt = dt.astimezone(timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def fail(result: dict, why: str) -> int:
    print(json.dumps({"ok": False, "why": why, "result": result}))
    return 1


def cmd_verify_ours(args: argparse.Namespace) -> int:
    with open(args.keys_file, encoding="utf-8") as f:
        doc = json.load(f)
    keys = [{"kid": k["kid"], "public_key_b64": k["public_key_b64"]} for k in doc["keys"]]
    result = verify_proof_offline(token=args.token, public_keys=keys)
    if result.get("valid") is not True:
        return fail(result, "verify_proof_offline rejected an openleash token")
    if args.expect_claims is not None:
        expected = json.loads(args.expect_claims)
        claims = result["claims"]
        if claims != expected:
            return fail(result, "claims differ from the expected ones")
        if list(claims.keys()) != list(expected.keys()):
            return fail(result, "claim order differs from upstream's")
    print(json.dumps({"ok": True, "result": result}))
    return 0


def cmd_make(args: argparse.Namespace) -> int:
    pair = generate_ed25519_keypair()
    private = load_der_private_key(base64.b64decode(pair["private_key_b64"]), password=None)
    pem = private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    key = Key.new(version=4, purpose="public", key=pem)
    kid = str(uuid.uuid4())
    now = datetime.now(timezone.utc)

    def claims(ttl: int) -> dict:
        # Upstream's proof claim order (upstream-core §4.5).
        return {
            "iss": "openleash",
            "kid": kid,
            "iat": iso_ms(now),
            "exp": iso_ms(now + timedelta(seconds=ttl)),
            "decision_id": str(uuid.uuid4()),
            "owner_type": "user",
            "owner_id": str(uuid.uuid4()),
            "agent_id": "py-agent",
            "action_type": "purchase",
            "action_hash": "5fed50d1afcf598480f64ca09edb042a8a09c6b33c8712e3faeeea2aa1d4297d",
            "matched_rule_id": None,
            "trust_profile": "HIGH",
        }

    paseto = Paseto.new()
    valid_claims = claims(args.ttl_seconds)
    # Compact JSON bytes, exactly what JSON.stringify produces upstream.
    compact = paseto.encode(
        key, json.dumps(valid_claims, separators=(",", ":")).encode(), serializer=json
    )
    # pyseto's own dict path (default json.dumps spacing) with pyseto's exp format
    # (`2026-01-01T00:00:00+00:00`): any RFC 3339 exp must verify.
    with_pyseto_exp = {k: v for k, v in valid_claims.items() if k != "exp"}
    pyseto_dict = paseto.encode(key, with_pyseto_exp, serializer=json, exp=args.ttl_seconds)
    expired = paseto.encode(
        key, json.dumps(claims(-60), separators=(",", ":")).encode(), serializer=json
    )
    session = dict(valid_claims, purpose="user_session")
    wrong_purpose = paseto.encode(key, json.dumps(session, separators=(",", ":")).encode())
    footer = paseto.encode(
        key, json.dumps(valid_claims, separators=(",", ":")).encode(), footer=b'{"kid":"x"}'
    )
    print(
        json.dumps(
            {
                "ok": True,
                "kid": kid,
                "public_key_b64": pair["public_key_b64"],
                "claims": valid_claims,
                "token": compact.decode(),
                "token_pyseto_dict": pyseto_dict.decode(),
                "token_expired": expired.decode(),
                "token_wrong_purpose": wrong_purpose.decode(),
                "token_with_footer": footer.decode(),
                "pyseto_version": pyseto.__version__,
            }
        )
    )
    return 0


def cmd_vector(args: argparse.Namespace) -> int:
    with open(args.file, encoding="utf-8") as f:
        v = json.load(f)
    keys = [{"kid": v["paseto_claims"]["kid"], "public_key_b64": v["public_key_b64"]}]
    result = verify_proof_offline(token=v["paseto_token"], public_keys=keys)
    if result.get("reason") != "Token expired" or result.get("claims") != v["paseto_claims"]:
        return fail(result, "the SDK did not read the vector token as expected")
    print(json.dumps({"ok": True, "result": result}))
    return 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("verify-ours")
    v.add_argument("--token", required=True)
    v.add_argument("--keys-file", required=True)
    v.add_argument("--expect-claims")
    m = sub.add_parser("make")
    m.add_argument("--ttl-seconds", type=int, default=300)
    t = sub.add_parser("vector")
    t.add_argument("--file", required=True)
    args = p.parse_args()
    return {"verify-ours": cmd_verify_ours, "make": cmd_make, "vector": cmd_vector}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""After `openleash import-upstream`: the official Python SDK (`openleash-sdk==0.3.0`, unmodified)
authorizes with the `agent.env` the TypeScript OpenLeash wrote, against `openleash start` on the
imported data directory.

Driven by the Rust test `tests/cli/import.rs`.

  --env FILE       the upstream agent.env (its OPENLEASH_URL is replaced by --url)
  --url URL        the running openleash server
  --approval-id ID the approval request carried over from upstream

Prints one JSON object on stdout; exits 0 when every call succeeded, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import uuid
from datetime import datetime, timezone

import httpx

import openleash


def read_env(path: str) -> dict:
    env = {}
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            k, v = line.split("=", 1)
            env[k] = v
    return env


async def main(a: argparse.Namespace) -> dict:
    env = read_env(a.env)
    sdk = {
        "openleash_url": a.url,
        "agent_id": env["OPENLEASH_AGENT_ID"],
        "private_key_b64": env["OPENLEASH_AGENT_PRIVATE_KEY_B64"],
    }
    owner = env["USER_PRINCIPAL_ID"]

    def action(action_type: str, payload: dict) -> dict:
        return {
            "action_id": str(uuid.uuid4()),
            "action_type": action_type,
            "requested_at": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
            "principal": {"agent_id": sdk["agent_id"]},
            "subject": {"principal_id": owner},
            "payload": payload,
        }

    out: dict = {"self": await openleash.get_agent_self(**sdk)}
    decisions = {}
    for name, act in {
        "small": action("purchase", {"amount_minor": 5000, "currency": "USD", "merchant_domain": "example.com"}),
        "large": action("purchase", {"amount_minor": 90000, "currency": "USD", "merchant_domain": "example.com"}),
        "message": action("communication.send", {"recipient_domain": "unknown.example"}),
    }.items():
        decisions[name] = await openleash.authorize(**sdk, action=act)
    out["decisions"] = {
        k: {"result": v["result"], "matched_rule_id": v.get("matched_rule_id"), "has_proof": bool(v.get("proof_token"))}
        for k, v in decisions.items()
    }
    async with httpx.AsyncClient() as client:
        keys = (await client.get(f"{a.url}/v1/public-keys")).json()["keys"]
    out["kids"] = [k["kid"] for k in keys]
    proof = openleash.verify_proof_offline(token=decisions["small"]["proof_token"], public_keys=keys)
    out["proof"] = {"valid": proof.get("valid"), "kid": (proof.get("claims") or {}).get("kid")}
    req = await openleash.get_approval_request(**sdk, approval_request_id=a.approval_id)
    out["approval"] = {"status": req["status"], "action_type": req.get("action_type")}
    return out


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--env", required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--approval-id", required=True)
    try:
        print(json.dumps(asyncio.run(main(p.parse_args()))))
    except Exception as e:  # noqa: BLE001 - report any SDK failure to the Rust test
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)

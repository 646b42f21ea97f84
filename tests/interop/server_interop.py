#!/usr/bin/env python3
"""Server interop with the official OpenLeash Python SDK (`openleash-sdk==0.3.0`, unmodified).

Driven by the Rust test `tests/cli/server.rs` against a running `openleash start`. Prints one JSON
object on stdout; exits 0 when every call succeeded, 1 (with the error on stderr) otherwise.

  --url URL --owner-id ID --invite-url URL --token T --action-hash H --openleash-bin B --data-dir D
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import subprocess
import sys
import uuid
from datetime import datetime, timezone

import httpx
from cryptography.hazmat.primitives.serialization import load_der_private_key

import openleash


async def main(a: argparse.Namespace) -> dict:
    out: dict = {}

    # Challenge registration with a keypair made by the SDK; the SDK leaves signing the challenge
    # to the caller.
    kp = openleash.generate_ed25519_keypair()
    ch = await openleash.registration_challenge(
        openleash_url=a.url, agent_id="py-agent", agent_pubkey_b64=kp["public_key_b64"]
    )
    key = load_der_private_key(base64.b64decode(kp["private_key_b64"]), password=None)
    sig = base64.b64encode(key.sign(base64.b64decode(ch["challenge_b64"]))).decode()
    reg = await openleash.register_agent(
        openleash_url=a.url,
        challenge_id=ch["challenge_id"],
        agent_id="py-agent",
        agent_pubkey_b64=kp["public_key_b64"],
        signature_b64=sig,
        owner_type="user",
        owner_id=a.owner_id,
        webhook_url="",
        webhook_secret="",
        webhook_auth_token="",
    )
    out["registered"] = reg
    out["self"] = await openleash.get_agent_self(
        openleash_url=a.url, agent_id="py-agent", private_key_b64=kp["private_key_b64"]
    )

    # Decisions for the SDK-registered agent (the owner-wide profile policy applies to it).
    def action(action_type: str, payload: dict) -> dict:
        return {
            "action_id": str(uuid.uuid4()),
            "action_type": action_type,
            "requested_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
            "principal": {"agent_id": "py-agent"},
            "subject": {"principal_id": a.owner_id},
            "payload": payload,
        }

    decisions = {}
    actions = {
        "allow": action("purchase", {"amount_minor": 5000, "currency": "USD", "merchant_domain": "ex.com"}),
        "approval": action("purchase", {"amount_minor": 60000, "currency": "USD"}),
        "deny": action("communication.email", {"domain": "unknown.example"}),
    }
    for name, act in actions.items():
        decisions[name] = await openleash.authorize(
            openleash_url=a.url, agent_id="py-agent", private_key_b64=kp["private_key_b64"], action=act
        )
    out["decisions"] = {k: {"result": v["result"], "has_proof": bool(v.get("proof_token"))} for k, v in decisions.items()}
    async with httpx.AsyncClient() as client:
        all_keys = (await client.get(f"{a.url}/v1/public-keys")).json()["keys"]
    proof = openleash.verify_proof_offline(token=decisions["allow"]["proof_token"], public_keys=all_keys)
    out["allow_proof_offline"] = {"valid": proof.get("valid"), "agent_id": (proof.get("claims") or {}).get("agent_id")}
    online = await openleash.verify_proof_online(
        openleash_url=a.url,
        token=decisions["allow"]["proof_token"],
        expected_action_hash=decisions["allow"]["action_hash"],
        expected_agent_id="py-agent",
    )
    out["allow_proof_online"] = online.get("valid")

    # The approval loop: request, the owner approves with the CLI, poll, re-authorize once.
    sdk = {"openleash_url": a.url, "agent_id": "py-agent", "private_key_b64": kp["private_key_b64"]}
    ar = await openleash.create_approval_request(
        **sdk, decision_id=decisions["approval"]["decision_id"], action=actions["approval"], justification="interop"
    )
    pending = await openleash.get_approval_request(**sdk, approval_request_id=ar["approval_request_id"])
    subprocess.run(
        [a.openleash_bin, "--data-dir", a.data_dir, "approval", "approve", ar["approval_request_id"], "--yes"],
        check=True,
        capture_output=True,
    )
    approved = await openleash.poll_approval_request(
        **sdk, approval_request_id=ar["approval_request_id"], interval_seconds=0.1, timeout_seconds=20
    )
    again = dict(actions["approval"], approval_token=approved.get("approval_token"))
    reauth = await openleash.authorize(**sdk, action=again)
    try:
        await openleash.authorize(**sdk, action=again)
        reuse = "accepted"
    except RuntimeError as e:
        reuse = "APPROVAL_TOKEN_CONSUMED" if "APPROVAL_TOKEN_CONSUMED" in str(e) else str(e)
    out["approval"] = {
        "created": ar["status"],
        "pending": pending["status"],
        "approved": approved["status"],
        "has_token": bool(approved.get("approval_token")),
        "reauthorized": reauth["result"],
        "reason": reauth["reason"],
        "reuse": reuse,
    }

    # Policy drafts, listed with and without the status filter (the SDK signs the query).
    draft = await openleash.create_policy_draft(
        **sdk,
        policy_yaml="version: 1\ndefault: deny\nrules:\n  - id: read\n    effect: allow\n    action: data.read\n",
        justification="interop",
    )
    got = await openleash.get_policy_draft(**sdk, policy_draft_id=draft["policy_draft_id"])
    listed = await openleash.list_policy_drafts(**sdk)
    filtered = await openleash.list_policy_drafts(**sdk, status="PENDING")
    ids = lambda r: [d["policy_draft_id"] for d in r["policy_drafts"]]  # noqa: E731
    out["drafts"] = {
        "created": draft["status"],
        "got_yaml": "data.read" in got["policy_yaml"],
        "listed": draft["policy_draft_id"] in ids(listed),
        "filtered": draft["policy_draft_id"] in ids(filtered),
    }

    inv = await openleash.redeem_agent_invite(
        invite_url=a.invite_url,
        agent_id="py-invited",
        webhook_url="",
        webhook_secret="",
        webhook_auth_token="",
    )
    out["invited"] = {k: inv[k] for k in ("agent_id", "status", "owner_id", "openleash_url")}
    out["invited_self"] = await openleash.get_agent_self(
        openleash_url=a.url, agent_id="py-invited", private_key_b64=inv["private_key_b64"]
    )

    out["online"] = await openleash.verify_proof_online(
        openleash_url=a.url, token=a.token, expected_action_hash=a.action_hash
    )
    out["online_mismatch"] = await openleash.verify_proof_online(
        openleash_url=a.url, token=a.token, expected_agent_id="someone-else"
    )
    async with httpx.AsyncClient() as client:
        keys = (await client.get(f"{a.url}/v1/public-keys")).json()["keys"]
    offline = openleash.verify_proof_offline(token=a.token, public_keys=keys)
    out["offline"] = {"valid": offline.get("valid"), "agent_id": (offline.get("claims") or {}).get("agent_id")}
    return out


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    for f in ("--url", "--owner-id", "--invite-url", "--token", "--action-hash", "--openleash-bin", "--data-dir"):
        p.add_argument(f, required=True)
    args = p.parse_args()
    try:
        print(json.dumps(asyncio.run(main(args))))
    except Exception as e:  # noqa: BLE001 - report any SDK failure to the Rust test
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)

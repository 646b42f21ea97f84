#!/usr/bin/env python3
"""Server interop with the official OpenLeash Python SDK (`openleash-sdk==0.3.0`, unmodified).

Driven by the Rust test `tests/cli/server.rs` against a running `openleash start`. Prints one JSON
object on stdout; exits 0 when every call succeeded, 1 (with the error on stderr) otherwise.

  --url URL --owner-id ID --invite-url URL --token T --action-hash H
  --ol-bin PATH --data-dir DIR --owner-passphrase P

The human-approval workflow: approval requests (approved once with `openleash approval approve
--yes`, once over HTTP with an owner session), approval tokens (ALLOW once, then
APPROVAL_TOKEN_CONSUMED; another action gets ACTION_HASH_MISMATCH) and policy drafts (created,
read and listed by the SDK, approved with `openleash draft approve --yes`, then deciding).
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
    for name, act in {
        "allow": action("purchase", {"amount_minor": 5000, "currency": "USD", "merchant_domain": "ex.com"}),
        "approval": action("purchase", {"amount_minor": 60000, "currency": "USD"}),
        "deny": action("communication.email", {"domain": "unknown.example"}),
    }.items():
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

    out["workflow"] = await workflow(a, kp, action)

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


def error_code(e: Exception) -> str:
    """The `error.code` of an SDK failure ("<what> failed: <response body>")."""
    body = str(e).split(": ", 1)[1]
    return json.loads(body)["error"]["code"]


async def workflow(a: argparse.Namespace, kp: dict, action) -> dict:
    out: dict = {}
    sdk = {"openleash_url": a.url, "agent_id": "py-agent", "private_key_b64": kp["private_key_b64"]}

    def ol(*args: str) -> dict:
        p = subprocess.run(
            [a.ol_bin, "--data-dir", a.data_dir, "--json", *args], capture_output=True, text=True
        )
        if p.returncode != 0:
            raise RuntimeError(f"openleash {args} exited {p.returncode}: {p.stdout} {p.stderr}")
        return json.loads(p.stdout)

    async def authorize(act: dict) -> dict:
        try:
            return await openleash.authorize(**sdk, action=act)
        except RuntimeError as e:
            return {"error": error_code(e)}

    async def request_approval(decision: dict, act: dict) -> str:
        created = await openleash.create_approval_request(
            **sdk, decision_id=decision["decision_id"], action=act, justification="restock"
        )
        assert created["status"] == "PENDING", created
        return created["approval_request_id"]

    # 1. Approved by the owner with the CLI; the SDK polls; the token allows exactly once.
    big = action("purchase", {"amount_minor": 60000, "currency": "USD"})
    first = await authorize(big)
    req_id = await request_approval(first, big)
    out["pending"] = (await openleash.get_approval_request(**sdk, approval_request_id=req_id))["status"]
    out["cli_approve"] = ol("approval", "approve", req_id, "--yes").get("status")
    polled = await openleash.poll_approval_request(
        **sdk, approval_request_id=req_id, interval_seconds=0.05, timeout_seconds=10
    )
    out["polled"] = {"status": polled["status"], "has_token": bool(polled.get("approval_token"))}
    with_token = {**big, "approval_token": polled["approval_token"]}
    allowed = await authorize(with_token)
    out["approved_authorize"] = {"result": allowed.get("result"), "has_proof": bool(allowed.get("proof_token"))}
    out["reuse"] = await authorize(with_token)

    # 2. Approved over HTTP with an owner session; the token is bound to its action's hash.
    again = action("purchase", {"amount_minor": 61000, "currency": "USD"})
    req2 = await request_approval(await authorize(again), again)
    async with httpx.AsyncClient() as client:
        login = await client.post(
            f"{a.url}/v1/owner/login",
            json={"user_principal_id": a.owner_id, "passphrase": a.owner_passphrase},
        )
        session = login.json()["token"]
        r = await client.post(
            f"{a.url}/v1/owner/approval-requests/{req2}/approve",
            json={},
            headers={"Authorization": f"Bearer {session}"},
        )
        out["http_approve"] = r.status_code
    polled2 = await openleash.poll_approval_request(
        **sdk, approval_request_id=req2, interval_seconds=0.05, timeout_seconds=10
    )
    other = action("purchase", {"amount_minor": 62000, "currency": "USD"})
    out["mismatch"] = await authorize({**other, "approval_token": polled2["approval_token"]})
    ok2 = await authorize({**again, "approval_token": polled2["approval_token"]})
    out["http_approved_authorize"] = ok2.get("result")

    # 3. A policy draft for this agent (the SDK's default scope), approved with the CLI.
    small = lambda: action("purchase", {"amount_minor": 5000, "currency": "USD"})  # noqa: E731
    out["before_draft"] = (await authorize(small())).get("result")
    yaml = (
        "version: 1\n"
        "default: passthrough\n"
        "rules:\n"
        "  - id: py_no_purchases\n"
        "    effect: deny\n"
        "    action: purchase\n"
    )
    draft = await openleash.create_policy_draft(**sdk, policy_yaml=yaml, justification="tighter")
    draft_id = draft["policy_draft_id"]
    got = await openleash.get_policy_draft(**sdk, policy_draft_id=draft_id)
    out["draft"] = {k: got.get(k) for k in ("status", "policy_yaml", "applies_to_agent_principal_id", "justification")}
    ids = lambda listed: [d["policy_draft_id"] for d in listed["policy_drafts"]]  # noqa: E731
    out["drafts_all"] = ids(await openleash.list_policy_drafts(**sdk))
    out["drafts_pending"] = ids(await openleash.list_policy_drafts(**sdk, status="PENDING"))
    out["drafts_approved_before"] = ids(await openleash.list_policy_drafts(**sdk, status="APPROVED"))
    out["draft_id"] = draft_id
    out["cli_draft_approve"] = ol("draft", "approve", draft_id, "--yes").get("status")
    after = await openleash.get_policy_draft(**sdk, policy_draft_id=draft_id)
    out["draft_after"] = {"status": after.get("status"), "has_policy": bool(after.get("resulting_policy_id"))}
    out["drafts_approved"] = ids(await openleash.list_policy_drafts(**sdk, status="APPROVED"))
    decided = await authorize(small())
    out["after_draft"] = {"result": decided.get("result"), "matched_rule_id": decided.get("matched_rule_id")}
    return out


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    for f in ("--url", "--owner-id", "--invite-url", "--token", "--action-hash", "--ol-bin", "--data-dir", "--owner-passphrase"):
        p.add_argument(f, required=True)
    args = p.parse_args()
    try:
        print(json.dumps(asyncio.run(main(args))))
    except Exception as e:  # noqa: BLE001 - report any SDK failure to the Rust test
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)

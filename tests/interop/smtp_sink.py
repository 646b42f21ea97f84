"""An SMTP server with TLS and authentication for the email channel's tests (aiosmtpd).

usage: smtp_sink.py MODE CERT KEY USER PASSWORD OUTDIR
MODE is `starttls` (STARTTLS required before AUTH and MAIL) or `tls` (implicit TLS). Prints
`PORT <n>` once listening; writes each accepted message to OUTDIR/<n>.eml with the
authenticated user in an `X-Sink-Auth-User` header line; runs until killed.
"""
import asyncio
import pathlib
import socket
import ssl
import sys
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

# With implicit TLS every command is encrypted; aiosmtpd warns only because it cannot tell.
warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")

mode, cert, key, user, password, outdir = sys.argv[1:7]
out = pathlib.Path(outdir)
ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(cert, key)


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == user
        and auth_data.password.decode() == password
    )
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


class Handler:
    count = 0

    async def handle_DATA(self, server, session, envelope):
        Handler.count += 1
        who = session.auth_data.login.decode() if session.auth_data else ""
        body = envelope.content.decode("utf-8", "replace")
        (out / f"{Handler.count}.eml").write_text(f"X-Sink-Auth-User: {who}\r\n{body}")
        return "250 queued"


# aiosmtpd's controller connects to its own port to check it is up: it needs a real one.
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
kwargs = dict(
    hostname="127.0.0.1",
    port=port,
    authenticator=authenticator,
    auth_required=True,
)
if mode == "starttls":
    kwargs.update(tls_context=ctx, require_starttls=True, auth_require_tls=True)
else:
    kwargs.update(ssl_context=ctx, auth_require_tls=False)
controller = Controller(Handler(), **kwargs)
controller.start()
print(f"PORT {port}", flush=True)
try:
    asyncio.run(asyncio.sleep(3600))
finally:
    controller.stop()

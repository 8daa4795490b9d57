#!/usr/bin/env python3
"""A real SMTP server for the tests (SMTPReceiver.swift), aiosmtpd on a free port of 127.0.0.1:
records each accepted message to FOLDER/message-NNNN.json; with CERT and KEY it offers and
requires STARTTLS; with USER it requires AUTH with USER and PASSWORD; with REFUSAL it answers
every RCPT TO with that reply. Writes its port to FOLDER/port.

    smtp-receiver.py FOLDER CERT KEY USER PASSWORD REFUSAL   (empty strings for none)
"""
import asyncio, base64, json, os, ssl, sys
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

folder, certificate, key, user, password, refusal = sys.argv[1:7]
count = [0]

def record(name, value):
    path = os.path.join(folder, name)
    with open(path + ".tmp", "w") as handle:
        handle.write(value)
    os.rename(path + ".tmp", path)

class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        count[0] += 1
        record("message-%04d.json" % count[0], json.dumps({
            "mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
            "data": base64.b64encode(envelope.original_content).decode(),
            "tls": session.ssl is not None,
            "auth_mechanism": getattr(session, "gnomon_mechanism", None),
            "login": getattr(session, "gnomon_login", None),
            "host_name": session.host_name}))
        return "250 Message accepted for delivery"

def authenticator(server, session, envelope, mechanism, auth_data):
    accepted = (isinstance(auth_data, LoginPassword)
                and auth_data.login.decode() == user and auth_data.password.decode() == password)
    if accepted:
        session.gnomon_mechanism = mechanism
        session.gnomon_login = user
    return AuthResult(success=accepted, handled=False)

async def main():
    context = None
    if certificate:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(certificate, key)
    server = await asyncio.get_running_loop().create_server(
        lambda: SMTP(Handler(), hostname="receiver.test", tls_context=context,
                     require_starttls=context is not None,
                     authenticator=authenticator if user else None, auth_required=bool(user),
                     auth_require_tls=context is not None),
        "127.0.0.1", 0)
    record("port", str(server.sockets[0].getsockname()[1]))
    await asyncio.Event().wait()

asyncio.run(main())

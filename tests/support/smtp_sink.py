#!/usr/bin/python3
# Cairn test support: an SMTP server on loopback that the mail tests deliver to (see SmtpSink.h,
# which starts it). Built on Debian's aiosmtpd (python3-aiosmtpd); runs in its own process with
# one asyncio loop, so a test can kill it (SIGKILL) and start it again on the same port.
#
#   smtp_sink.py serve --folder DIR [--port N] [--tls-cert PEM --tls-key PEM [--implicit-tls]]
#                      [--user NAME --password SECRET] [--reject ADDR]... [--defer ADDR]...
#       Listens on 127.0.0.1:N (N = 0: a free port), prints "READY <port>" on stdout once it
#       accepts connections, and saves every accepted message as DIR/<n>.eml (the bytes as
#       received, dot-unstuffed) next to DIR/<n>.json (mail_from, rcpt_tos, login, helo, tls).
#       --tls-cert/--tls-key: offer STARTTLS and require it before MAIL; with --implicit-tls
#       speak TLS from the first byte instead (SMTPS).
#       --user/--password: require AUTH (LOGIN or PLAIN); other credentials get 535.
#       --reject ADDR: RCPT TO:<ADDR> gets 550; --defer ADDR: it gets 451.
#   smtp_sink.py parse FILE
#       Parses a saved message with Python's email package and prints it as JSON (headers
#       decoded, every leaf part's content type, charset and decoded text).
import argparse
import json
import os
import signal
import sys


def _import_aiosmtpd():
    try:
        from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword  # noqa: F401
    except ImportError as e:
        sys.stderr.write(
            "smtp_sink: cannot import aiosmtpd with %s (%s); install python3-aiosmtpd "
            "(scripts/install-deps.sh)\n" % (sys.executable, e))
        sys.exit(3)
    return SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, folder, reject, defer):
        self.folder = folder
        self.reject = {a.lower() for a in reject}
        self.defer = {a.lower() for a in defer}
        self.count = len([n for n in os.listdir(folder) if n.endswith(".eml")])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if address.lower() in self.defer:
            return "451 4.3.0 <%s>: Temporary local problem, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.folder, "%06d" % self.count)
        login = None
        if session.authenticated and session.auth_data is not None:
            login = session.auth_data.login.decode("utf-8", "replace")
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "login": login,
            "helo": session.host_name,
            "tls": (session.ssl is not None
                    or server.transport.get_extra_info("ssl_object") is not None),
        }
        # The .json first, the .eml last and atomically: a reader that sees the .eml sees both.
        with open(base + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(meta, f)
        os.replace(base + ".json.tmp", base + ".json")
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        os.replace(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 Ok: queued as %06d" % self.count


def serve(args):
    import asyncio
    import ssl

    import logging
    import warnings

    SMTP, AuthResult, LoginPassword = _import_aiosmtpd()
    # AUTH without TLS is what the plain-text test wants; keep stderr for real problems.
    warnings.simplefilter("ignore")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    os.makedirs(args.folder, exist_ok=True)
    handler = Handler(args.folder, args.reject, args.defer)

    tls_context = None
    if args.tls_cert:
        tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_context.load_cert_chain(args.tls_cert, args.tls_key)

    authenticator = None
    if args.user is not None:
        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword)
                  and auth_data.login == args.user.encode()
                  and auth_data.password == args.password.encode())
            return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    starttls = tls_context if not args.implicit_tls else None

    def factory():
        return SMTP(handler, loop=loop, hostname="sink.cairn.test",
                    tls_context=starttls, require_starttls=starttls is not None,
                    authenticator=authenticator, auth_required=authenticator is not None,
                    auth_require_tls=starttls is not None)

    server = loop.run_until_complete(
        loop.create_server(factory, host="127.0.0.1", port=args.port, reuse_address=True,
                           ssl=tls_context if args.implicit_tls else None))
    port = server.sockets[0].getsockname()[1]
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.add_signal_handler(signal.SIGINT, loop.stop)
    sys.stdout.write("READY %d\n" % port)
    sys.stdout.flush()
    try:
        loop.run_forever()
    finally:
        server.close()


def parse(args):
    import email
    import email.policy

    with open(args.file, "rb") as f:
        raw = f.read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    headers = [[k, str(v)] for k, v in msg.items()]
    parts = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        parts.append({
            "content_type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "transfer_encoding": part.get("Content-Transfer-Encoding"),
            "text": part.get_content().replace("\r\n", "\n"),
        })
    out = {
        "subject": str(msg["Subject"]),
        "from": str(msg["From"]),
        "to": [str(a) for a in msg["To"].addresses] if msg["To"] is not None else [],
        "to_addresses": ([a.addr_spec for a in msg["To"].addresses]
                         if msg["To"] is not None else []),
        "to_names": ([a.display_name for a in msg["To"].addresses]
                     if msg["To"] is not None else []),
        "from_display_name": (msg["From"].addresses[0].display_name
                              if msg["From"] is not None else None),
        "message_id": str(msg["Message-ID"]),
        "date": str(msg["Date"]),
        "content_type": msg.get_content_type(),
        "headers": headers,
        "parts": parts,
        "defects": [type(d).__name__ for d in msg.defects]
                   + [type(d).__name__ for p in msg.walk() for d in p.defects],
    }
    json.dump(out, sys.stdout, ensure_ascii=True)
    sys.stdout.write("\n")


def main():
    p = argparse.ArgumentParser(prog="smtp_sink.py")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--folder", required=True)
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--tls-cert")
    s.add_argument("--tls-key")
    s.add_argument("--implicit-tls", action="store_true")
    s.add_argument("--user")
    s.add_argument("--password", default="")
    s.add_argument("--reject", action="append", default=[])
    s.add_argument("--defer", action="append", default=[])
    r = sub.add_parser("parse")
    r.add_argument("file")
    args = p.parse_args()
    if args.command == "serve":
        serve(args)
    else:
        parse(args)


if __name__ == "__main__":
    main()

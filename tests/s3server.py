#!/usr/bin/env python3
"""s3server.py — a small S3-compatible server for tests/exports.sh that VERIFIES AWS Signature
Version 4 as S3 does: path-style GET /BUCKET/KEY of the files under ROOT/BUCKET/.

Usage: s3server.py ROOT ACCESS_KEY SECRET [TOKEN]
Listens on 127.0.0.1 on a free port and prints it on the first line of standard output. A key
under slow/ is answered after SLOW seconds (environment, default 5). Stops by itself after
LIFETIME seconds (default 300). Each request is logged on standard error."""
import datetime
import hashlib
import hmac
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT, ACCESS, SECRET = sys.argv[1], sys.argv[2], sys.argv[3]
TOKEN = sys.argv[4] if len(sys.argv) > 4 else None
SLOW = float(os.environ.get("SLOW", "5"))
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def sign(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def expected_signature(method, path, query, headers, signed, amz_date, scope):
    """The signature of a request as S3 computes it (the path is used as sent: S3 does not
    encode it again)."""
    pairs = sorted(urllib.parse.parse_qsl(query, keep_blank_values=True))
    canonical_query = "&".join(
        urllib.parse.quote(k, safe="-_.~") + "=" + urllib.parse.quote(v, safe="-_.~") for k, v in pairs)
    canonical_headers = "".join(
        name + ":" + " ".join(headers.get(name, "").split()) + "\n" for name in signed)
    payload = headers.get("x-amz-content-sha256", "")
    request = "\n".join([method, path, canonical_query, canonical_headers, ";".join(signed), payload])
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(request.encode()).hexdigest()])
    day, region, service, _ = scope.split("/")
    key = sign(sign(sign(sign(("AWS4" + SECRET).encode(), day), region), service), "aws4_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


class Handler(BaseHTTPRequestHandler):
    def error(self, status, code, message):
        body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message></Error>"
                % (code, message)).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def check(self):
        """None when the request is signed right, else (status, code, message)."""
        headers = {k.lower(): v for k, v in self.headers.items()}
        auth = headers.get("authorization", "")
        if not auth.startswith("AWS4-HMAC-SHA256 "):
            return 403, "AccessDenied", "no AWS4-HMAC-SHA256 authorization"
        fields = dict(part.strip().split("=", 1) for part in auth[len("AWS4-HMAC-SHA256 "):].split(","))
        access, scope = fields["Credential"].split("/", 1)
        signed = fields["SignedHeaders"].split(";")
        if access != ACCESS:
            return 403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."
        if "x-amz-content-sha256" not in headers:
            return 400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256"
        for needed in ("host", "x-amz-date", "x-amz-content-sha256") + (("x-amz-security-token",) if TOKEN else ()):
            if needed not in signed:
                return 403, "AccessDenied", "header %s is not signed" % needed
        if TOKEN and headers.get("x-amz-security-token") != TOKEN:
            return 403, "InvalidToken", "The provided token is malformed or otherwise invalid."
        amz_date = headers.get("x-amz-date", "")
        when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
        if abs((datetime.datetime.now(datetime.timezone.utc) - when).total_seconds()) > 900:
            return 403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large."
        path, _, query = self.path.partition("?")
        want = expected_signature(self.command, path, query, headers, signed, amz_date, scope)
        if not hmac.compare_digest(want, fields["Signature"]):
            return 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."
        return None

    def do_GET(self):
        problem = self.check()
        if problem:
            self.error(*problem)
            return
        path = urllib.parse.unquote(self.path.partition("?")[0])
        bucket, _, key = path.lstrip("/").partition("/")
        file = os.path.realpath(os.path.join(ROOT, bucket, key))
        if not file.startswith(os.path.realpath(ROOT) + os.sep) or not os.path.isfile(file):
            self.error(404, "NoSuchKey", "The specified key does not exist.")
            return
        if key.startswith("slow/"):
            time.sleep(SLOW)
        with open(file, "rb") as f:
            body = f.read()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except BrokenPipeError:
            pass

    def log_message(self, fmt, *args):
        sys.stderr.write("s3server: " + (fmt % args) + "\n")


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
threading.Timer(float(os.environ.get("LIFETIME", "300")), server.shutdown).start()
server.serve_forever()

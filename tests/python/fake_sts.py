"""A stand-in STS endpoint for black-box tests of the datamesh CLI.

It verifies every request's SigV4 signature with botocore's signer (independent of datamesh's),
answers GetCallerIdentity and AssumeRole in STS's awsQuery XML, issues temporary credentials
with session tokens, and can inject Throttling answers or run with a skewed clock. It records
every request so tests can check who signed what."""
import datetime
import http.server
import re
import secrets
import threading
import urllib.parse

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

NS = "https://sts.amazonaws.com/doc/2011-06-15/"
AUTH_RE = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/(?P<service>[^/]+)/aws4_request, "
    r"SignedHeaders=(?P<signed>[^,]+), Signature=(?P<sig>[0-9a-f]{64})$")


class Principal:
    def __init__(self, access_key, secret, account, arn, user_id, token=None, expires=None):
        self.access_key, self.secret, self.account = access_key, secret, account
        self.arn, self.user_id, self.token, self.expires = arn, user_id, token, expires


class FakeSts:
    def __init__(self):
        self.principals = {}
        self.roles = {}  # role arn -> set of principal arns allowed to assume it
        self.requests = []  # (action, access_key, session_token)
        self.throttle_next = 0
        self.clock_offset = datetime.timedelta(0)
        self.lock = threading.Lock()
        handler = self._handler_class()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def add_user(self, account, name):
        key = "AKIA" + secrets.token_hex(8).upper()
        p = Principal(key, secrets.token_urlsafe(30), account, f"arn:aws:iam::{account}:user/{name}",
                      "AIDA" + secrets.token_hex(8).upper())
        self.principals[key] = p
        return p

    def add_role(self, account, name, trusted_arns):
        arn = f"arn:aws:iam::{account}:role/{name}"
        self.roles[arn] = set(trusted_arns)
        return arn

    def now(self):
        return datetime.datetime.utcnow() + self.clock_offset

    # --- request handling -------------------------------------------------------------------
    def handle(self, method, path, headers, body):
        with self.lock:
            if self.throttle_next > 0:
                self.throttle_next -= 1
                self.requests.append(("Throttled", None, None))
                return self.error(400, "Throttling", "Rate exceeded")
        auth = headers.get("Authorization", "")
        m = AUTH_RE.match(auth)
        if not m:
            return self.error(403, "MissingAuthenticationToken", "Request is missing Authentication Token")
        principal = self.principals.get(m["key"])
        if principal is None:
            return self.error(403, "InvalidClientTokenId", "The security token included in the request is invalid.")
        amz_date = headers.get("X-Amz-Date", "")
        try:
            signed_at = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ")
        except ValueError:
            return self.error(400, "IncompleteSignature", "X-Amz-Date is missing or malformed")
        if abs((self.now() - signed_at).total_seconds()) > 15 * 60:
            return self.error(400, "RequestExpired", "Request has expired.")
        if principal.token is not None and headers.get("X-Amz-Security-Token") != principal.token:
            return self.error(403, "InvalidClientTokenId", "The security token included in the request is invalid.")
        if principal.expires is not None and self.now() > principal.expires:
            return self.error(403, "ExpiredToken", "The security token included in the request is expired")
        if not self.signature_matches(method, path, headers, body, principal, m):
            return self.error(403, "SignatureDoesNotMatch",
                              "The request signature we calculated does not match the signature you provided.")
        params = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
        action = params.get("Action")
        self.requests.append((action, principal.access_key, headers.get("X-Amz-Security-Token")))
        if action == "GetCallerIdentity":
            return self.ok(action, f"<Arn>{principal.arn}</Arn><UserId>{principal.user_id}</UserId>"
                                   f"<Account>{principal.account}</Account>")
        if action == "AssumeRole":
            return self.assume_role(principal, params)
        return self.error(400, "InvalidAction", f"Could not find operation {action}")

    def signature_matches(self, method, path, headers, body, principal, m):
        signed = m["signed"].split(";")
        host = headers.get("Host")
        request = AWSRequest(method=method, url=f"http://{host}{path}", data=body)
        for name in signed:
            for value in headers.get_all(name) or []:
                request.headers[name] = value
        request.context["timestamp"] = headers.get("X-Amz-Date")
        creds = Credentials(principal.access_key, principal.secret, principal.token)
        signer = SigV4Auth(creds, m["service"], m["region"])
        canonical = signer.canonical_request(request)
        expected = signer.signature(signer.string_to_sign(request, canonical), request)
        return expected == m["sig"]

    def assume_role(self, caller, params):
        role_arn = params.get("RoleArn", "")
        session = params.get("RoleSessionName", "")
        if role_arn not in self.roles or caller.arn not in self.roles[role_arn]:
            return self.error(403, "AccessDenied",
                              f"User: {caller.arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}")
        if not re.fullmatch(r"[\w+=,.@-]{2,64}", session):
            return self.error(400, "ValidationError", "RoleSessionName is invalid")
        account = role_arn.split(":")[4]
        role_name = role_arn.rsplit("/", 1)[1]
        expires = self.now() + datetime.timedelta(seconds=int(params.get("DurationSeconds", "3600")))
        temp = Principal("ASIA" + secrets.token_hex(8).upper(), secrets.token_urlsafe(30), account,
                         f"arn:aws:sts::{account}:assumed-role/{role_name}/{session}",
                         f"AROA{secrets.token_hex(6).upper()}:{session}", token=secrets.token_urlsafe(60),
                         expires=expires)
        self.principals[temp.access_key] = temp
        return self.ok("AssumeRole",
                       f"<Credentials><AccessKeyId>{temp.access_key}</AccessKeyId>"
                       f"<SecretAccessKey>{temp.secret}</SecretAccessKey><SessionToken>{temp.token}</SessionToken>"
                       f"<Expiration>{expires.strftime('%Y-%m-%dT%H:%M:%SZ')}</Expiration></Credentials>"
                       f"<AssumedRoleUser><AssumedRoleId>{temp.user_id}</AssumedRoleId><Arn>{temp.arn}</Arn>"
                       f"</AssumedRoleUser>")

    def ok(self, action, inner):
        rid = secrets.token_hex(16)
        body = (f'<{action}Response xmlns="{NS}"><{action}Result>{inner}</{action}Result>'
                f"<ResponseMetadata><RequestId>{rid}</RequestId></ResponseMetadata></{action}Response>")
        return 200, body

    def error(self, status, code, message):
        rid = secrets.token_hex(16)
        body = (f'<ErrorResponse xmlns="{NS}"><Error><Type>Sender</Type><Code>{code}</Code>'
                f"<Message>{message}</Message></Error><RequestId>{rid}</RequestId></ErrorResponse>")
        return status, body

    def _handler_class(self):
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                status, text = fake.handle("POST", self.path, self.headers, body)
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def date_time_string(self, timestamp=None):  # the Date header, from the fake's clock
                return fake.now().strftime("%a, %d %b %Y %H:%M:%S GMT")

            def log_message(self, *args):
                pass

        return Handler

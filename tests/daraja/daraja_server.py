#!/usr/bin/python3
"""daraja_server.py - a test server that behaves like Safaricom's Daraja
M-PESA Express API as /work/shared/daraja.md describes it (OAuth token,
STK Push, callbacks, STK Push Query, result codes, error bodies and
outages), plus a small stand-in for the hub's callback relay.

Run:  daraja_server.py --port-file FILE [--port N] [--log FILE]

It listens on 127.0.0.1 (port 0: a free one, written to --port-file) and
keeps a record of every request it received, so that tests can assert that
a prompt was NOT sent twice.

Test endpoints (not Daraja's):
  POST /__test/config     merge a JSON object into the configuration
  GET  /__test/log        every request received, as a JSON array
  GET  /__test/pushes     the STK Push requests that reached the server
  GET  /__test/tokens     how many tokens were issued
  POST /__test/relay      (CallBackURL for tests) store a callback like
                          the hub does
  GET  /v1/mpesa/results?ids=A,B   the stored callbacks, like the hub

Configuration (POST /__test/config; defaults below):
  consumer_key, consumer_secret     the app's credentials
  shortcodes        {"174379": {"passkey": ..., "type": "paybill"}}
  expires_in        what the token reply says ("3599"; a number if
                    expires_in_number is true)
  token_life        seconds a token really stays valid (3600)
  revoke_old        a new token revokes the older ones (false)
  results           {"254708374149": "0", ...}: ResultCode per phone;
                    "none" never completes; default_result ("0")
  result_delay      seconds until the customer "answers" (0.3)
  callback          post the callback to CallBackURL (true)
  pending_style     "old" (500 being processed) or "new" (200 4999)
  faults            list of {"on": "token"|"push"|"query", "mode": M,
                    "times": N}; modes: html503, html200, truncated,
                    ratelimit, internal, hang (sleep hang_seconds, the
                    push is still accepted), badtoken; "phone": P limits
                    a fault to the prompts to phone P
  hang_seconds      (5)
  rule17            same amount and phone within 120 s -> ResultCode 17
  lock_subscriber   a prompt open on the phone -> "Unable to lock"
  callback_times    deliveries of each callback (1; 0 = none, 2 = a
                    duplicate, as production is said to do)
  bad_token_style   "404" (404.001.03, STK Push's) or "401" (401.002.01,
                    other APIs') for an expired or unknown token
"""

import argparse
import base64
import datetime
import json
import os
import random
import string
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PASSKEY = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"
EAT = datetime.timezone(datetime.timedelta(hours=3))

LOCK = threading.RLock()
CONFIG = {
    "consumer_key": "testkey",
    "consumer_secret": "testsecret",
    "shortcodes": {
        "174379": {"passkey": PASSKEY, "type": "paybill"},
        "300584": {"passkey": PASSKEY, "type": "till", "till": "5544332"},
    },
    "expires_in": "3599",
    "expires_in_number": False,
    "token_life": 3600,
    "revoke_old": False,
    "results": {},
    "default_result": "0",
    "result_delay": 0.3,
    "callback": True,
    "pending_style": "old",
    "faults": [],
    "hang_seconds": 5,
    "rule17": False,
    "lock_subscriber": False,
    "callback_times": 1,
    "bad_token_style": "404",
}
TOKENS = {}          # token -> expiry (time.time())
TOKENS_ISSUED = [0]
TRANSACTIONS = {}    # CheckoutRequestID -> dict
RELAYED = {}         # CheckoutRequestID -> callback JSON object
LOG = []
RECEIPT_SEQ = [0]

RESULT_DESC = {
    "0": "The service request is processed successfully.",
    "1": "The balance is insufficient for the transaction.",
    "17": "Rule limited.",
    "1001": "Unable to lock subscriber, a transaction is already in "
            "process for the current subscriber",
    "1019": "Transaction has expired.",
    "1025": "An error occurred while sending a push request.",
    "1032": "Request cancelled by user",
    "1037": "DS timeout user cannot be reached",
    "2001": "The initiator information is invalid.",
    "2028": "The request is not permitted according to product "
            "assignment.",
}

INCAPSULA = (b"<html><head><title>Request unsuccessful</title></head><body>"
             b"Request unsuccessful. Incapsula incident ID: "
             b"123000450067829-42</body></html>")
APIGEE = (b"<!DOCTYPE html><html><head><title>Apigee SPA Proxy</title>"
          b"</head><body><div id=\"root\"></div></body></html>")


def take_fault(on, phone=None):
    """The fault mode to apply to this call of kind on (for phone, when
    the fault names one), if any."""
    with LOCK:
        for f in CONFIG["faults"]:
            if f.get("on") == on and f.get("times", 1) > 0 and \
                    f.get("phone") in (None, phone):
                f["times"] = f.get("times", 1) - 1
                return f["mode"]
    return None


def eat_now():
    return datetime.datetime.now(EAT)


def new_receipt():
    with LOCK:
        RECEIPT_SEQ[0] += 1
        n = RECEIPT_SEQ[0]
    letters = string.ascii_uppercase
    return "T" + "".join(random.choice(letters) for _ in range(2)) + \
        "%07d" % n


def post_callback(url, payload, shortcode):
    data = json.dumps(payload).encode()
    req = urllib.request.Request(url, data=data, method="POST", headers={
        "Content-Type": "application/json;charset=UTF-8",
        "Businessshortcode": shortcode})
    try:
        urllib.request.urlopen(req, timeout=5).read()
    except Exception as e:  # the callback is best effort, like Daraja's
        sys.stderr.write("callback to %s failed: %s\n" % (url, e))


def complete(cid):
    """The customer answered: fix the result and post the callback."""
    with LOCK:
        tx = TRANSACTIONS.get(cid)
        if tx is None or tx["done"]:
            return
        code = tx["code"]
        if code == "none":
            return
        tx["done"] = True
        if code == "0":
            tx["receipt"] = new_receipt()
        body = {"Body": {"stkCallback": {
            "MerchantRequestID": tx["merchant"],
            "CheckoutRequestID": cid,
            "ResultCode": int(code) if code.isdigit() else code,
            "ResultDesc": RESULT_DESC.get(code, "Unknown error"),
        }}}
        if code == "0":
            body["Body"]["stkCallback"]["CallbackMetadata"] = {"Item": [
                {"Name": "Amount", "Value": float(tx["amount"])},
                {"Name": "MpesaReceiptNumber", "Value": tx["receipt"]},
                {"Name": "Balance"},
                {"Name": "TransactionDate",
                 "Value": int(eat_now().strftime("%Y%m%d%H%M%S"))},
                {"Name": "PhoneNumber", "Value": int(tx["phone"])},
            ]}
        tx["callback_body"] = body
        url = tx["callback_url"]
        times = int(CONFIG["callback_times"]) if CONFIG["callback"] else 0
        sc = tx["shortcode"]
    for _ in range(times):
        post_callback(url, body, sc)


def relayed_row(cid):
    """A result as duka-hub's GET /v1/mpesa/results gives it (see
    duka-hub(8)): the callback's fields as text, and the callback."""
    cb = RELAYED[cid]
    st = cb["Body"]["stkCallback"]
    row = {"CheckoutRequestID": cid,
           "MerchantRequestID": st.get("MerchantRequestID"),
           "ResultCode": str(st.get("ResultCode")),
           "ResultDesc": st.get("ResultDesc"),
           "received_at": datetime.datetime.now(
               datetime.timezone.utc).isoformat(),
           "callback": cb}
    for item in st.get("CallbackMetadata", {}).get("Item", []):
        if "Value" in item:
            v = item["Value"]
            row[item["Name"]] = "%.2f" % v if isinstance(v, float) \
                else str(v)
    return row


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Daraja-test/1"

    def log_message(self, fmt, *args):
        pass

    # -- replies --------------------------------------------------------
    def reply(self, status, body, ctype="application/json"):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def error(self, status, code, message):
        self.reply(status, {"requestId": "%d-%d" % (os.getpid(),
                   int(time.time() * 1000) % 100000000),
                   "errorCode": code, "errorMessage": message})

    def fault(self, mode, ok_body=None):
        """Apply a fault mode; True if the reply was sent."""
        if mode == "html503":
            self.reply(503, INCAPSULA, "text/html")
        elif mode == "html200":
            self.reply(200, APIGEE, "text/html")
        elif mode == "truncated":
            body = json.dumps(ok_body or {"ResponseCode": "0",
                              "ResponseDescription": "Success"}).encode()
            self.reply(200, body[:len(body) // 2])
        elif mode == "ratelimit":
            self.error(500, "500.003.02",
                       "Error Occurred: Spike Arrest Violation")
        elif mode == "internal":
            self.error(500, "500.003.1001", "Internal Server Error")
        elif mode == "badtoken":
            self.error(404, "404.001.03", "Invalid Access Token")
        else:
            return False
        return True

    def record(self, body):
        entry = {"time": time.time(), "method": self.command,
                 "path": self.path, "body": body,
                 "auth": self.headers.get("Authorization", ""),
                 "content_type": self.headers.get("Content-Type", "")}
        with LOCK:
            LOG.append(entry)
        self.entry = entry

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def bad_token(self):
        if CONFIG["bad_token_style"] == "401":
            return self.error(401, "401.002.01", "Error Occurred - Invalid "
                              "Access Token - %s" % self.headers.get(
                                  "Authorization", "")[7:15])
        return self.error(404, "404.001.03", "Invalid Access Token")

    def bearer_ok(self):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return False
        tok = auth[7:]
        with LOCK:
            exp = TOKENS.get(tok)
        return exp is not None and exp > time.time()

    # -- routes ---------------------------------------------------------
    def do_GET(self):
        u = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(u.query)
        if u.path == "/__test/log":
            with LOCK:
                return self.reply(200, LOG)
        if u.path == "/__test/pushes":
            with LOCK:
                return self.reply(200, [e["json"] for e in LOG
                                        if e.get("push")])
        if u.path == "/__test/tokens":
            return self.reply(200, {"issued": TOKENS_ISSUED[0]})
        if u.path == "/v1/mpesa/results":
            self.record(None)
            if not self.headers.get("Authorization", "").startswith(
                    "Bearer "):
                return self.reply(401, {"error": "no token"})
            ids = ",".join(q.get("ids", [""])).split(",")
            with LOCK:
                res = [relayed_row(i) for i in ids if i in RELAYED]
            return self.reply(200, {"results": res})
        self.record(None)
        if u.path == "/oauth/v1/generate":
            return self.token(q)
        if u.path in ("/mpesa/stkpush/v1/processrequest",
                      "/mpesa/stkpushquery/v1/query"):
            return self.error(404, "404.001.04",
                              "Invalid Authenticator Header")
        return self.error(404, "404.001.01", "Resource not found")

    def token(self, q):
        mode = take_fault("token")
        if mode and self.fault(mode):
            return
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Basic "):
            return self.error(400, "400.008.01",
                              "Invalid Authentication passed")
        if q.get("grant_type") != ["client_credentials"]:
            return self.error(400, "400.008.02", "Invalid grant type passed")
        try:
            user, _, pw = base64.b64decode(auth[6:]).decode().partition(":")
        except Exception:
            user, pw = "", ""
        with LOCK:
            if user != CONFIG["consumer_key"] or \
                    pw != CONFIG["consumer_secret"]:
                return self.reply(400, b"")
            tok = "".join(random.choice(string.ascii_letters + string.digits)
                          for _ in range(28))
            if CONFIG["revoke_old"]:
                TOKENS.clear()
            TOKENS[tok] = time.time() + float(CONFIG["token_life"])
            TOKENS_ISSUED[0] += 1
            exp = CONFIG["expires_in"]
            if CONFIG["expires_in_number"]:
                exp = int(exp)
        self.reply(200, {"access_token": tok, "expires_in": exp})

    def do_POST(self):
        u = urllib.parse.urlparse(self.path)
        raw = self.read_body()
        if u.path == "/__test/config":
            with LOCK:
                CONFIG.update(json.loads(raw or b"{}"))
            return self.reply(200, CONFIG)
        if u.path == "/__test/relay":
            try:
                cb = json.loads(raw)
                cid = cb["Body"]["stkCallback"]["CheckoutRequestID"]
                with LOCK:
                    RELAYED[cid] = cb
            except Exception:
                pass
            return self.reply(200, {"ResultCode": 0,
                                    "ResultDesc": "Accepted"})
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        self.record(body if body is not None else raw.decode("latin-1"))
        if u.path == "/mpesa/stkpush/v1/processrequest":
            return self.push(body)
        if u.path == "/mpesa/stkpushquery/v1/query":
            return self.query(body)
        if u.path == "/oauth/v1/generate":
            return self.error(405, "405.001", "POST Method Not Allowed")
        return self.error(404, "404.001.01", "Resource not found")

    # -- STK Push -------------------------------------------------------
    def check_password(self, b):
        sc = str(b.get("BusinessShortCode", ""))
        info = CONFIG["shortcodes"].get(sc)
        if info is None:
            return "merchant"
        ts = str(b.get("Timestamp", ""))
        want = base64.b64encode((sc + info["passkey"] + ts).encode()).decode()
        return "ok" if b.get("Password") == want else "password"

    def check_timestamp(self, ts):
        if len(ts) != 14 or not ts.isdigit():
            return False
        try:
            t = datetime.datetime.strptime(ts, "%Y%m%d%H%M%S").replace(
                tzinfo=EAT)
        except ValueError:
            return False
        # Daraja's tolerance is undocumented; a stamp in the wrong zone
        # (hours off) is refused here so that tests catch it.
        return abs((eat_now() - t).total_seconds()) < 600

    def push(self, b):
        mode = take_fault("push", str(b.get("PhoneNumber"))
                          if isinstance(b, dict) else None)
        if mode in ("html503", "ratelimit", "badtoken"):
            return self.fault(mode)
        if not self.bearer_ok():
            return self.bad_token()
        if not self.headers.get("Content-Type", "").startswith(
                "application/json") or not isinstance(b, dict):
            return self.error(400, "400.002.02",
                              "Bad Request - Invalid BusinessShortCode")
        sc = str(b.get("BusinessShortCode", ""))
        if not (sc.isdigit() and 5 <= len(sc) <= 7):
            return self.error(400, "400.002.02",
                              "Bad Request - Invalid BusinessShortCode")
        ts = str(b.get("Timestamp", ""))
        if not self.check_timestamp(ts):
            return self.error(400, "400.002.02",
                              "Bad Request - Invalid Timestamp")
        ttype = b.get("TransactionType")
        if ttype not in ("CustomerPayBillOnline", "CustomerBuyGoodsOnline"):
            return self.error(400, "400.002.02",
                              "Bad Request - Invalid TransactionType")
        amount = b.get("Amount")
        amt_s = str(amount)
        if isinstance(amount, float) or not amt_s.isdigit() or \
                not 1 <= int(amt_s) <= 250000:
            return self.error(400, "400.002.02",
                              "Bad Request - Invalid Amount")
        for field in ("PartyA", "PhoneNumber"):
            v = str(b.get(field, ""))
            if not (len(v) == 12 and v.isdigit() and
                    (v.startswith("2547") or v.startswith("2541"))):
                return self.error(400, "400.002.02",
                                  "Bad Request - Invalid %s" % field)
        cb = str(b.get("CallBackURL", ""))
        host = urllib.parse.urlparse(cb).hostname or ""
        if not cb.startswith(("http://", "https://")) or " " in cb or \
                host in ("", "localhost", "example.com"):
            return self.error(400, "400.002.02",
                              "Bad Request - Invalid CallBackURL")
        if "TransactionDesc" not in b:
            return self.error(400, "400.002.02",
                              "Bad Request - Invalid Remarks")
        if "AccountReference" not in b:
            return self.error(400, "400.002.02",
                              "Bad Request - Invalid AccountReference")
        pw = self.check_password(b)
        if pw == "merchant":
            return self.error(500, "500.001.1001", "Merchant does not exist")
        if pw == "password":
            return self.error(500, "500.001.1001", "Wrong credentials")
        info = CONFIG["shortcodes"][sc]
        want_type = "CustomerBuyGoodsOnline" if info["type"] == "till" \
            else "CustomerPayBillOnline"
        party_b = str(b.get("PartyB", ""))
        want_b = info.get("till", sc) if info["type"] == "till" else sc
        phone = str(b["PhoneNumber"])
        with LOCK:
            if CONFIG["lock_subscriber"] and any(
                    t["phone"] == phone and not t["done"]
                    for t in TRANSACTIONS.values()):
                return self.error(500, "500.001.1001",
                                  "Unable to lock subscriber, a transaction "
                                  "is already in process for the current "
                                  "subscriber")
            code = CONFIG["results"].get(phone, CONFIG["default_result"])
            if ttype != want_type or party_b != want_b:
                code = "2028"
            if CONFIG["rule17"] and any(
                    t["phone"] == phone and t["amount"] == int(amt_s) and
                    time.time() - t["at"] < 120
                    for t in TRANSACTIONS.values()):
                code = "17"
            now = eat_now()
            cid = "ws_CO_%s%03d%s" % (now.strftime("%d%m%Y%H%M%S"),
                                      len(TRANSACTIONS) % 1000, phone[-9:])
            merchant = "%04x-%04x-%04x-%s" % (
                random.randrange(65536), random.randrange(65536),
                random.randrange(65536), cid[-8:])
            TRANSACTIONS[cid] = {
                "merchant": merchant, "phone": phone, "amount": int(amt_s),
                "code": code, "done": False, "at": time.time(),
                "callback_url": cb, "shortcode": sc,
                "ref": b.get("AccountReference"),
                "desc": b.get("TransactionDesc"),
            }
            self.entry["push"] = True
            self.entry["json"] = b
            self.entry["checkout_id"] = cid
            delay = float(CONFIG["result_delay"])
            hang = float(CONFIG["hang_seconds"])
        threading.Timer(delay, complete, args=(cid,)).start()
        ok = {"MerchantRequestID": merchant, "CheckoutRequestID": cid,
              "ResponseCode": "0",
              "ResponseDescription": "Success. Request accepted for "
                                     "processing",
              "CustomerMessage": "Success. Request accepted for processing"}
        if mode == "hang":
            time.sleep(hang)     # accepted, but the answer comes too late
        if mode and self.fault(mode, ok):
            return
        self.reply(200, ok)

    # -- STK Push Query -------------------------------------------------
    def query(self, b):
        cid = str(b.get("CheckoutRequestID")) if isinstance(b, dict) else ""
        with LOCK:
            phone = TRANSACTIONS.get(cid, {}).get("phone")
        mode = take_fault("query", phone)
        if mode and self.fault(mode):
            return
        if not self.bearer_ok():
            return self.bad_token()
        if not isinstance(b, dict):
            return self.error(400, "400.002.02",
                              "Bad Request - Invalid BusinessShortCode")
        if not self.check_timestamp(str(b.get("Timestamp", ""))):
            return self.error(400, "400.002.02",
                              "Bad Request - Invalid Timestamp")
        pw = self.check_password(b)
        if pw == "merchant":
            return self.error(500, "500.001.1001", "Merchant does not exist")
        if pw == "password":
            return self.error(500, "500.001.1001", "Wrong credentials")
        cid = str(b.get("CheckoutRequestID", ""))
        with LOCK:
            tx = TRANSACTIONS.get(cid)
            if tx is not None:
                tx = dict(tx)
            style = CONFIG["pending_style"]
        if tx is None:
            return self.error(500, "500.001.1001",
                              "The transaction does not Exist")
        if not tx["done"]:
            if style == "new":
                return self.reply(200, {
                    "ResultCode": "4999",
                    "ResultDesc": "The transaction is still under "
                                  "processing"})
            return self.reply(500, {"requestId": cid,
                                    "errorCode": "500.001.1001",
                                    "errorMessage": "The transaction is "
                                                    "being processed"})
        code = tx["code"]
        self.reply(200, {
            "ResponseCode": "0",
            "ResponseDescription": "The service request has been accepted "
                                   "successsfully",
            "MerchantRequestID": tx["merchant"], "CheckoutRequestID": cid,
            "ResultCode": code,
            "ResultDesc": "DS timeout user cannot be reached" if
            code == "1037" else RESULT_DESC.get(code, "Unknown error")})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--config", help="JSON configuration to start with")
    args = ap.parse_args()
    if args.config:
        CONFIG.update(json.loads(args.config))
    srv = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    srv.daemon_threads = True
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, args.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

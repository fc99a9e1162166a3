#!/usr/bin/env python3
"""Fetches the vote token of N reader addresses from a local verdict server.

A vote token is bound to the reader's address, so a load test that stands
for many readers asks the server for each one's token first, passing the
address in X-Forwarded-For (the server runs with --client-ip-header
X-Forwarded-For). Addresses are 198.18.0.0/15, the range set aside for
benchmarks (RFC 2544); they only ever appear in a header sent to 127.0.0.1.

    tokens.py PORT N > tokens.txt     # lines of "address token"
"""
import http.client
import json
import sys


def address(i: int) -> str:
    return f"198.{18 + (i >> 16)}.{(i >> 8) & 255}.{i & 255}"


def main() -> None:
    port, n = int(sys.argv[1]), int(sys.argv[2])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    out = sys.stdout
    for i in range(1, n + 1):
        ip = address(i)
        conn.request("GET", "/api/v1/comparisons/go-vs-rust/votes", headers={"X-Forwarded-For": ip})
        res = conn.getresponse()
        body = res.read()
        if res.status != 200:
            sys.exit(f"tokens: {ip}: HTTP {res.status}: {body[:200]!r}")
        out.write(f"{ip} {json.loads(body)['token']}\n")


if __name__ == "__main__":
    main()

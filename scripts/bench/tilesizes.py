#!/usr/bin/env python3
"""Prints the size of the tiles a server answers for the first COUNT paths
of a file, one request at a time, gzip accepted: mean and largest body as
sent (gzip) and as decoded, and the statuses. scripts/bench-tiles.sh runs it
on wijkkaart and on the plain ST_AsMVT function to show that both send tiles
of the same content.

    tilesizes.py BASE PATHS COUNT
"""
import collections
import gzip
import sys
import urllib.error
import urllib.request

base, paths_file, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(paths_file) as f:
    paths = [line.strip() for line in f if line.strip()][:count]

sent, plain, statuses = [], [], collections.Counter()
for path in paths:
    req = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip"})
    try:
        with urllib.request.urlopen(req) as res:
            body = res.read()
            statuses[res.status] += 1
            gzipped = res.headers.get("Content-Encoding") == "gzip"
    except urllib.error.HTTPError as err:
        statuses[err.code] += 1
        continue
    sent.append(len(body))
    plain.append(len(gzip.decompress(body)) if gzipped else len(body))

if not sent:
    sys.exit(f"tilesizes: no tile answered 200 at {base}: {dict(statuses)}")
print(
    f"tiles: {len(sent)}, mean {sum(sent) / len(sent):.0f} B sent (gzip) / {sum(plain) / len(plain):.0f} B decoded, "
    f"largest {max(sent)} / {max(plain)} B, statuses {dict(sorted(statuses.items()))}"
)

#!/usr/bin/env python3
"""Writes the URL paths of the mixed load: tiles at every level over the four
big cities and the whole country, random indicators, groups and zooms, plus
TileJSON, styles and the values API. Reproducible: the same seed gives the
same paths. Reads the catalogue from the running server.

    paths.py BASE COUNT SEED [tiles]

With "tiles", only tiles of the gemeente, wijk and buurt levels, in the same
proportions of cities and country, each of a random value year the level
has values in: the mix scripts/bench-tiles.sh runs on wijkkaart and on the
plain ST_AsMVT function, which has no "auto" level.

With the years of the environment variable YEARS (comma-separated), every
path asks for one of them at random; without, for the server's default
(latest) year, or with "tiles" a year of the level's."""
import json
import math
import os
import random
import sys
import urllib.request

base, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
years = [y for y in os.environ.get("YEARS", "").split(",") if y]
tiles_only = sys.argv[4:] == ["tiles"]
levels = ["gemeente", "wijk", "buurt"] if tiles_only else ["gemeente", "wijk", "buurt", "auto"]
rng = random.Random(seed)
cat = json.load(urllib.request.urlopen(base + "/api/indicators"))
groups = [g["id"] for g in json.load(urllib.request.urlopen(base + "/api/groups"))["groups"]]
cities = [(4.90, 52.37), (4.48, 51.92), (4.30, 52.08), (5.12, 52.09)]  # Amsterdam, Rotterdam, Den Haag, Utrecht


def tile(lon, lat, z):
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def selection():
    ind = rng.choice(cat["indicators"])
    group = rng.choice(groups) if ind["split_by_group"] else "totaal"
    return ind["id"], group


level_years = {level: [y["year"] for y in ys] for level, ys in cat["levels"].items()}

for _ in range(count):
    ind, group = selection()
    q = f"indicator={ind}&group={group}"
    if years:
        q += f"&year={rng.choice(years)}"
    r = rng.random()
    if r < 0.85 or tiles_only:
        level = rng.choice(levels)
        if tiles_only and not years:
            q += f"&year={rng.choice(level_years[level])}"
        if rng.random() < 0.8:
            lon, lat = rng.choice(cities)
            z = rng.randint(10, 15)
            lon += rng.uniform(-0.08, 0.08)
            lat += rng.uniform(-0.05, 0.05)
        else:
            lon, lat = rng.uniform(3.5, 7.0), rng.uniform(50.8, 53.4)
            z = rng.randint(5, 8)
        if level == "buurt":
            z = max(z, 9)
        x, y = tile(lon, lat, z)
        print(f"/tiles/{level}/{z}/{x}/{y}.mvt?{q}")
    elif r < 0.90:
        print(f"/tiles/{rng.choice(['gemeente', 'wijk'])}.json?{q}")
    elif r < 0.95:
        print(f"/styles/wijk.json?{q}&gemeente={rng.choice(['GM0344', 'GM0599', 'GM0363', 'GM0518'])}")
    else:
        print(f"/api/values?level=wijk&{q}&gemeente={rng.choice(['GM0344', 'GM0599', 'GM0363', 'GM0518'])}")

#!/usr/bin/env python3
"""Prepare the embedded demo data of wijkkaart from the shared CBS files.

Run from the repository root:

    python3 demo/data/prepare.py ../shared/data

It writes, into demo/data/:

  wijken_2022.geojson.gz      3340 CBS wijken 2022, WGS84, KWB 2022 key figures (gzip of
                              tmap-nld-2022/NLD_dist_2022_wijken_wgs84.geojson)
  gemeenten_2022.geojson.gz   345 CBS gemeenten 2022, likewise (NLD_muni_2022_gemeenten_wgs84.geojson)
  buurten_2019.geojson.gz     13594 CBS buurten 2019, WGS84 (6 decimals), generalised; statcode, wk_code,
                              gm_code and the 2022 names of unchanged codes (gzip of
                              powerbi-buurten-2019/cbs_buurt_2019_gegeneraliseerd_wgs84.geojson)
  wijken_2022_kwb.csv         the wijk attribute table without geometry (copy)
  gemeenten_2022_kwb.csv      the gemeente attribute table without geometry (copy)
  gemeenten_2023.geojson.gz   343 CBS gemeenten 2023 and 2024, WGS84 (5 decimals), generalised by
  gemeenten_2024.geojson.gz   their source; only gemeentecode and gemeentenaam kept (from
                              geoinzicht-app/gemeenten_2023.geojson and gemeenten_2024.geojson)
  wijken_2024.geojson.gz      3474 CBS wijken 2024, WGS84 (5 decimals), generalised by their source;
                              only wijkcode, wijknaam, gemeentecode, gemeentenaam kept (from
                              geoinzicht-app/wijken_2024.geojson)
  inwoners_2024_kwb.csv       derived: code,inwoners of every gemeente and wijk of 2024 in KWB 2024
                              (kwb-2024-wikipedia-generator, AantalInwoners_5)
  gemeenten_2022_herkomst_wonen.csv
                              derived: per gemeente of 2022 the herkomst shares (2024, new CBS
                              classification), the 2022 migration-background shares (old
                              classification), % corporation dwellings and % households around
                              the social minimum, with the source of every row.

Python 3 standard library only. The output is deterministic (gzip mtime 0, sorted rows).
See demo/data/README.md for the sources and the derivation.
"""

import csv
import gzip
import json
import os
import shutil
import sys

SENTINELS = {-99999999, -99995, -99997}

HERKOMST = ["pct_herkomst_nl", "pct_herkomst_europa", "pct_herkomst_buiten_europa"]
MIGRATIE = [
    ("pct_westers", "percentageWesterseMigratieachtergrond"),
    ("pct_niet_westers", "percentageNietWesterseMigratieachtergrond"),
    ("pct_marokko", "percentageUitMarokko"),
    ("pct_turkije", "percentageUitTurkije"),
    ("pct_suriname", "percentageUitSuriname"),
    ("pct_antillen_aruba", "percentageUitNederlandseAntillenEnAruba"),
    ("pct_overig_niet_westers", "percentageOverigeNietwestersemigratieachtergrond"),
]
WONEN = ["pct_huurcorporatie", "pct_rond_sociaal_min"]


def clean(v):
    """Return v as a number, or None for a missing value or a CBS sentinel."""
    if v is None or isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    if v in SENTINELS or v < 0:
        return None
    return v


def features(path):
    with open(path, encoding="utf-8") as f:
        return [ft["properties"] for ft in json.load(f)["features"]]


def weighted_mean(rows, key, weight):
    num = sum(r[key] * r[weight] for r in rows if r.get(key) is not None and r.get(weight))
    den = sum(r[weight] for r in rows if r.get(key) is not None and r.get(weight))
    return num / den if den else None


def gzip_copy(src, dst):
    with open(src, "rb") as fin, open(dst, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as fout:
            shutil.copyfileobj(fin, fout)


# BUITENLAND is CBS's gemeente code for "Buitenland" (persons registered abroad; its outline
# in the 2023+ files is the Belgian enclaves of Baarle-Hertog). It is no Dutch gemeente, KWB
# has no figures for it, and its wijk WK099899 would take part of Baarle-Nassau: left out.
BUITENLAND = "GM0998"


def boundaries_only(src, dst, keep, gemeente_key):
    """Writes the features of src with only the properties keep, gzipped, without Buitenland."""
    with open(src, encoding="utf-8") as f:
        doc = json.load(f)
    out = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {k: ft["properties"].get(k) for k in keep}, "geometry": ft["geometry"]}
        for ft in sorted(doc["features"], key=lambda ft: ft["properties"][keep[0]])
        if ft["properties"][gemeente_key] != BUITENLAND]}
    with open(dst, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as fout:
            fout.write(json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def inwoners_2024(data, outdir):
    """Writes code,inwoners of every gemeente and wijk in KWB 2024, sorted by code."""
    with open(os.path.join(data, "kwb-2024-wikipedia-generator", "stripped_filtered_data_2024.json"), encoding="utf-8") as f:
        kwb = json.load(f)
    path = os.path.join(outdir, "inwoners_2024_kwb.csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "inwoners"])
        for code in sorted(kwb):
            if code[:2] in ("GM", "WK"):
                v = clean(kwb[code].get("AantalInwoners_5"))
                w.writerow([code, "" if v is None else int(v)])


def herkomst_rows(data, gemeenten):
    """Herkomst shares 2024 per gemeente of 2022; estimated where the gemeente no longer exists."""
    by_code = {p["gemeentecode"]: p for p in features(os.path.join(data, "geoinzicht-app/gemeenten_2024.geojson"))}
    odm = {p["gemeentecode"]: p for p in features(os.path.join(data, "open-data-maps/gemeenten_2022_v1.geojson"))
           if p.get("water") == "NEE"}
    # Population-weighted ratios between the new (2024) and the old (2022) classification,
    # over the gemeenten present in both: Buiten-Europa ~ a * niet-westers, Europa ~ b * westers.
    pairs = []
    for g in gemeenten:
        new, old = by_code.get(g["code"]), odm.get(g["code"])
        if new and old and all(clean(new.get(k)) is not None for k in HERKOMST):
            pairs.append((g["population"], new, old))
    a = sum(w * new["pct_herkomst_buiten_europa"] for w, new, _ in pairs) / \
        sum(w * old["percentageNietWesterseMigratieachtergrond"] for w, _, old in pairs)
    b = sum(w * new["pct_herkomst_europa"] for w, new, _ in pairs) / \
        sum(w * old["percentageWesterseMigratieachtergrond"] for w, _, old in pairs)
    out = {}
    for g in gemeenten:
        new = by_code.get(g["code"])
        if new and all(clean(new.get(k)) is not None for k in HERKOMST):
            out[g["code"]] = ("gemeenten_2024", [new[k] for k in HERKOMST])
            continue
        old = odm[g["code"]]
        be = round(a * old["percentageNietWesterseMigratieachtergrond"], 1)
        eu = round(b * old["percentageWesterseMigratieachtergrond"], 1)
        out[g["code"]] = ("geschat_uit_2022", [round(100 - be - eu, 1), eu, be])
    return out, (a, b)


def fallback_by_province(gemeenten, values, keys, source):
    """Fill missing values with the population-weighted mean of the gemeente's province."""
    out = {}
    for g in gemeenten:
        v = values.get(g["code"], {})
        if all(v.get(k) is not None for k in keys):
            out[g["code"]] = (source, [v[k] for k in keys])
            continue
        prov = [dict(values.get(o["code"], {}), population=o["population"]) for o in gemeenten
                if o["province"] == g["province"] and o["code"] != g["code"]]
        out[g["code"]] = (f"provincie {g['province']}",
                          [v[k] if v.get(k) is not None else round(weighted_mean(prov, k, "population"), 1) for k in keys])
    return out


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
    outdir = sys.argv[2] if len(sys.argv) > 2 else "demo/data"
    tmap = os.path.join(data, "tmap-nld-2022")
    gzip_copy(os.path.join(tmap, "NLD_dist_2022_wijken_wgs84.geojson"), os.path.join(outdir, "wijken_2022.geojson.gz"))
    gzip_copy(os.path.join(tmap, "NLD_muni_2022_gemeenten_wgs84.geojson"), os.path.join(outdir, "gemeenten_2022.geojson.gz"))
    # Buurten exist here only for 2019; the demo links them to the wijken of 2022 (see MODEL.md).
    gzip_copy(os.path.join(data, "powerbi-buurten-2019", "cbs_buurt_2019_gegeneraliseerd_wgs84.geojson"),
              os.path.join(outdir, "buurten_2019.geojson.gz"))
    # Later boundary years of the gemeenten, for the comparison of areas across years.
    for year in (2023, 2024):
        boundaries_only(os.path.join(data, "geoinzicht-app", f"gemeenten_{year}.geojson"),
                        os.path.join(outdir, f"gemeenten_{year}.geojson.gz"), ["gemeentecode", "gemeentenaam"],
                        "gemeentecode")
    # The wijken of 2024: the second boundary year of the wijken, which the values of 2023 and
    # 2024 are on (see MODEL.md, "Years").
    boundaries_only(os.path.join(data, "geoinzicht-app", "wijken_2024.geojson"),
                    os.path.join(outdir, "wijken_2024.geojson.gz"),
                    ["wijkcode", "wijknaam", "gemeentecode", "gemeentenaam"], "gemeentecode")
    inwoners_2024(data, outdir)
    shutil.copyfile(os.path.join(tmap, "NLD_dist_2022_wijken_attributes.csv"), os.path.join(outdir, "wijken_2022_kwb.csv"))
    shutil.copyfile(os.path.join(tmap, "NLD_muni_2022_gemeenten_attributes.csv"), os.path.join(outdir, "gemeenten_2022_kwb.csv"))

    gemeenten = sorted(features(os.path.join(tmap, "NLD_muni_2022_gemeenten_wgs84.geojson")), key=lambda p: p["code"])
    herkomst, ratios = herkomst_rows(data, gemeenten)
    odm = {p["gemeentecode"]: {k: clean(p.get(src)) for k, src in MIGRATIE}
           for p in features(os.path.join(data, "open-data-maps/gemeenten_2022_v1.geojson")) if p.get("water") == "NEE"}
    migratie = fallback_by_province(gemeenten, odm, [k for k, _ in MIGRATIE], "gemeenten_2022_v1")
    gi = {p["gemeentecode"]: {k: clean(p.get(k)) for k in WONEN}
          for p in features(os.path.join(data, "geoinzicht-app/gemeenten_2022.geojson"))}
    wonen = fallback_by_province(gemeenten, gi, WONEN, "gemeenten_2022")

    path = os.path.join(outdir, "gemeenten_2022_herkomst_wonen.csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "province", "herkomst_bron", "pct_herkomst_nederland", "pct_herkomst_europa",
                    "pct_herkomst_buiten_europa", "migratie_bron"] + [k for k, _ in MIGRATIE] +
                   ["wonen_bron"] + WONEN)
        for g in gemeenten:
            c = g["code"]
            w.writerow([c, g["name"], g["province"], herkomst[c][0], *herkomst[c][1],
                        migratie[c][0], *migratie[c][1], wonen[c][0], *wonen[c][1]])
    print(f"wrote {path}: {len(gemeenten)} gemeenten; herkomst estimated (a={ratios[0]:.3f}, b={ratios[1]:.3f}) for",
          [c for c, (src, _) in herkomst.items() if src != "gemeenten_2024"])


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Renders a wijkkaart choropleth with PyQGIS, headless, and checks it.

Run by web/qgis_test.go with Debian's /usr/bin/python3 and
QT_QPA_PLATFORM=offscreen. It loads the tiles as a QGIS vector tile layer
(the URL a user pastes into QGIS's vector tile connection), converts the
served target=qgis style with QgsMapBoxGlStyleConverter, reads the tiles
over the gemeente with QGIS's OGR provider for the areas' shapes, renders
the map to a PNG and checks, at a point deep inside every area, that the
pixel has the colour the legend gives the area's value or status, and that
QGIS's identify tool finds the area there with its published properties.

Prints one JSON report on stdout; exits 1 when a check fails.
"""

import argparse
import json
import os
import tempfile
import urllib.parse
import urllib.request

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDataSourceUri,
    QgsGeometry,
    QgsMapBoxGlStyleConversionContext,
    QgsMapBoxGlStyleConverter,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
    QgsTileMatrix,
    QgsVectorLayer,
    QgsVectorTileLayer,
    NULL,
)
from qgis.gui import QgsMapCanvas, QgsMapToolIdentify
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor


def fetch(url):
    with urllib.request.urlopen(url, timeout=60) as res:
        return res.read()


def fetch_json(url):
    return json.loads(fetch(url))


def tile_layer(base, level, query, zmax):
    """The vector tile layer as a user adds it: type=xyz with the tile URL."""
    uri = QgsDataSourceUri()
    uri.setParam("type", "xyz")
    uri.setParam("url", f"{base}/tiles/{level}/{{z}}/{{x}}/{{y}}.mvt?{query}")
    uri.setParam("zmin", "0")
    uri.setParam("zmax", str(zmax))
    return QgsVectorTileLayer(bytes(uri.encodedUri()).decode(), "wijkkaart")


def apply_style(layer, style):
    """Converts the style as QGIS does; returns the converter's warnings."""
    conv = QgsMapBoxGlStyleConverter()
    ctx = QgsMapBoxGlStyleConversionContext()
    result = conv.convert(style, ctx)
    if result != QgsMapBoxGlStyleConverter.Success:
        raise SystemExit(f"style conversion failed: {conv.errorMessage()}")
    layer.setRenderer(conv.renderer())
    if conv.labeling() is not None:
        layer.setLabeling(conv.labeling())
    return list(conv.warnings()) + list(ctx.warnings())


def identify(layer, zoom, extent, layer_name, tmp):
    """Fetches the tiles over extent (EPSG:3857) from the vector tile
    layer's URL (PyQGIS 3.22 exposes neither its tile loader nor its MVT
    decoder), reads them with QGIS's OGR provider (GDAL's MVT driver) and
    returns, per area code, its properties and its largest piece of
    geometry."""
    uri = QgsDataSourceUri()
    uri.setEncodedUri(layer.source())
    template = uri.param("url")
    matrix = QgsTileMatrix.fromWebMercator(zoom)
    tiles = matrix.tileRangeFromExtent(extent)
    areas = {}
    for col in range(tiles.startColumn(), tiles.endColumn() + 1):
        for row in range(tiles.startRow(), tiles.endRow() + 1):
            data = fetch(template.replace("{z}", str(zoom)).replace("{x}", str(col)).replace("{y}", str(row)))
            # GDAL georeferences a tile whose path ends in z/x/y.
            path = os.path.join(tmp, str(zoom), str(col), f"{row}.pbf")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            if not data:
                continue
            tile = QgsVectorLayer(f"{path}|layername={layer_name}", "tile", "ogr")
            if not tile.isValid():
                raise SystemExit(f"tile {zoom}/{col}/{row} does not open in QGIS")
            for feature in tile.getFeatures():
                props = {f.name(): plain(feature[f.name()]) for f in feature.fields()}
                geom = QgsGeometry(feature.geometry())
                known = areas.get(props.get("code"))
                if known is None or geom.area() > known["geometry"].area():
                    areas[props.get("code")] = {"properties": props, "geometry": geom}
    return areas


def plain(v):
    """A feature attribute as a Python value: NULL becomes None."""
    return None if v == NULL or v is None else v


def identify_in_qgis(layer, extent, points):
    """Identifies the vector tile layer's feature at each point (EPSG:3857)
    with QGIS's identify tool, as a user clicking the map does, and returns
    the properties found per point key."""
    canvas = QgsMapCanvas()
    canvas.resize(QSize(1000, 1000))
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    canvas.setLayers([layer])
    canvas.setExtent(extent)
    canvas.refresh()
    tool = QgsMapToolIdentify(canvas)
    found = {}
    for key, point in points.items():
        results = tool.identify(QgsGeometry.fromPointXY(point), QgsMapToolIdentify.TopDownAll, [layer],
                                QgsMapToolIdentify.AllLayers)
        found[key] = [{f.name(): plain(r.mFeature[f.name()]) for f in r.mFeature.fields()} for r in results]
    return found


def render(layer, extent, width, background, out):
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    height = round(width * extent.height() / extent.width())
    settings.setOutputSize(QSize(width, height))
    settings.setExtent(extent)
    settings.setBackgroundColor(QColor(background))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    if out:
        image.save(out, "PNG")
    return image, settings.mapToPixel()


def expected_color(props, legend, gemeente):
    specials = {s["status"]: s["color"] for s in legend["specials"]}
    if gemeente and props.get("gemeente_code") != gemeente:
        return None  # outside: blended with the background, not checked
    if props["status"] != "ok":
        return specials[props["status"]]
    value = float(props["value"])
    classes = legend["classes"]
    for i, c in enumerate(classes):
        if i == len(classes) - 1 or value < classes[i + 1]["min"]:
            return c["color"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--level", default="wijk")
    ap.add_argument("--indicator", required=True)
    ap.add_argument("--group", default="totaal")
    ap.add_argument("--gemeente", required=True)
    ap.add_argument("--zoom", type=int, default=12)
    ap.add_argument("--width", type=int, default=1200)
    ap.add_argument("--out", default="")
    args = ap.parse_args()

    app = QgsApplication([], True)  # with GUI classes: the identify tool needs a map canvas
    app.initQgis()
    report = {"failures": []}
    fail = report["failures"].append

    sel = {"indicator": args.indicator, "group": args.group}
    query = urllib.parse.urlencode(sel)
    scoped = urllib.parse.urlencode({**sel, "gemeente": args.gemeente})
    layer = tile_layer(args.base, args.level, query, 16)
    report["layer_valid"] = layer.isValid()
    if not layer.isValid():
        fail("the vector tile layer is not valid")

    style = fetch_json(f"{args.base}/styles/{args.level}.json?{scoped}&target=qgis")
    report["style_warnings"] = apply_style(layer, style)
    if report["style_warnings"]:
        fail(f"the style converter warned: {report['style_warnings']}")
    legend = fetch_json(f"{args.base}/api/legend?level={args.level}&{scoped}")
    values = fetch_json(f"{args.base}/api/values?level={args.level}&{scoped}")
    published = {v["code"]: v for v in values["values"]}

    # The gemeente's extent: the union of its areas' bounding boxes.
    boxes = [v["bbox"] for v in values["values"]]
    bbox = [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]
    wgs = QgsCoordinateReferenceSystem("EPSG:4326")
    merc = QgsCoordinateReferenceSystem("EPSG:3857")
    to_merc = QgsCoordinateTransform(wgs, merc, QgsProject.instance())
    extent = to_merc.transformBoundingBox(QgsRectangle(*bbox))

    with tempfile.TemporaryDirectory() as tmp:
        areas = identify(layer, args.zoom, extent, args.level, tmp)
    inside = {c: a for c, a in areas.items() if a["properties"].get("gemeente_code") == args.gemeente}
    report["identified"] = len(inside)
    report["example"] = next(iter(inside.values()))["properties"] if inside else None
    for code, v in published.items():
        a = inside.get(code)
        if a is None:
            fail(f"{code} is published but not in the tiles")
            continue
        p = a["properties"]
        if p.get("status") != v["status"] or p.get("value") != v["value"]:
            fail(f"{code}: tile says {p}, /api/values says {v}")

    image, m2p = render(layer, extent, args.width, legend.get("background", "#e8edf1"), args.out)
    checked = {}
    for code, a in sorted(inside.items()):
        want = expected_color(a["properties"], legend, args.gemeente)
        pole, radius = a["geometry"].poleOfInaccessibility(1.0)
        if want is None or radius / m2p.mapUnitsPerPixel() < 4:
            continue  # too thin to hit a pixel clear of the outlines
        px = m2p.transform(pole.asPoint())
        got = image.pixelColor(round(px.x()), round(px.y())).name()
        checked[code] = {"status": a["properties"]["status"], "value": a["properties"].get("value"),
                         "pixel": got, "want": want}
        if got != want:
            fail(f"{code} ({a['properties']['name']}): pixel {got} at {px.x():.0f},{px.y():.0f}, want {want}")
    report["checked"] = checked
    poles = {code: a["geometry"].poleOfInaccessibility(1.0)[0].asPoint() for code, a in inside.items()}
    identified = identify_in_qgis(layer, extent, poles)
    report["qgis_identified"] = sum(1 for code, hits in identified.items() if any(h.get("code") == code for h in hits))
    for code, hits in identified.items():
        hit = next((h for h in hits if h.get("code") == code), None)
        v = published.get(code)
        if hit is None:
            fail(f"QGIS identify at {code} found {[h.get('code') for h in hits]}")
        elif v is not None and (hit.get("status") != v["status"] or hit.get("value") != v["value"] or hit.get("name") != v["name"]):
            fail(f"QGIS identify at {code}: {hit}, /api/values says {v}")
    report["qgis_example"] = next((h for hits in identified.values() for h in hits), None)
    report["classes_seen"] = sorted({c["want"] for c in checked.values()})
    if len(checked) < len(inside) // 2:
        fail(f"only {len(checked)} of {len(inside)} areas could be checked")
    print(json.dumps(report, default=str, indent=1), flush=True)
    # Leave without tearing down QGIS: with layers still referenced from
    # Python, exitQgis() can crash PyQGIS 3.22 on the way out.
    os._exit(1 if report["failures"] else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Styles a downloaded GeoPackage with the served .qml in PyQGIS and checks
the rendered colours.

Run by web/qgis_test.go with Debian's /usr/bin/python3 and
QT_QPA_PLATFORM=offscreen: loads the layer, applies the QML with
loadNamedStyle, renders the gemeente to a PNG and checks, at a point deep
inside every area of the gemeente, that the pixel has the legend's colour
of the area's value or status. Prints one JSON report; exits 1 when a check
fails.
"""

import argparse
import json
import os

from qgis.core import (
    NULL,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor


def expected(props, legend, prefix, gemeente):
    if props["gemeente_code"] != gemeente:
        return None
    status = props[prefix + "status"]
    if status != "ok":
        return {s["status"]: s["color"] for s in legend["specials"]}[status]
    value, classes = props[prefix + "value"], legend["classes"]
    for i, c in enumerate(classes):
        if i == len(classes) - 1 or value < classes[i + 1]["min"]:
            return c["color"]


def main():
    ap = argparse.ArgumentParser()
    for name in ("gpkg", "layer", "qml", "legend", "prefix", "gemeente", "out"):
        ap.add_argument("--" + name, required=True)
    args = ap.parse_args()
    app = QgsApplication([], False)
    app.initQgis()
    report = {"failures": [], "checked": {}}
    fail = report["failures"].append
    layer = QgsVectorLayer(f"{args.gpkg}|layername={args.layer}", args.layer, "ogr")
    msg, ok = layer.loadNamedStyle(args.qml)
    report["style_loaded"], report["renderer"] = ok, layer.renderer().type()
    if not layer.isValid() or not ok or layer.renderer().type() != "RuleRenderer":
        fail(f"layer valid {layer.isValid()}, style {ok} {msg}, renderer {layer.renderer().type()}")
    with open(args.legend) as f:
        legend = json.load(f)
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    settings.setOutputSize(QSize(1000, 1000))
    settings.setExtent(settings.layerExtentToOutputExtent(layer, layer.extent()))
    settings.setBackgroundColor(QColor("#e8edf1"))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    image.save(args.out, "PNG")
    to_map = settings.layerTransform(layer)
    m2p = settings.mapToPixel()
    for feature in layer.getFeatures():
        props = {f.name(): (None if feature[f.name()] == NULL else feature[f.name()]) for f in feature.fields()}
        want = expected(props, legend, args.prefix, args.gemeente)
        geom = feature.geometry()
        geom.transform(to_map)
        pole, radius = geom.poleOfInaccessibility(1.0)
        if want is None or radius / m2p.mapUnitsPerPixel() < 4:
            continue
        px = m2p.transform(pole.asPoint())
        got = image.pixelColor(round(px.x()), round(px.y())).name()
        report["checked"][props["code"]] = {"status": props[args.prefix + "status"], "pixel": got, "want": want}
        if got != want:
            fail(f"{props['code']}: pixel {got}, want {want}")
    if len(report["checked"]) < 5:
        fail(f"only {len(report['checked'])} areas checked")
    print(json.dumps(report), flush=True)
    # Leave without tearing down QGIS: with layers still referenced from
    # Python, exitQgis() can crash PyQGIS 3.22 on the way out.
    os._exit(1 if report["failures"] else 0)


if __name__ == "__main__":
    main()

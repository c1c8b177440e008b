#!/usr/bin/python3
"""Opens a downloaded file with PyQGIS, as a user adding it to a map does.

Run by web/qgis_test.go with Debian's /usr/bin/python3 and
QT_QPA_PLATFORM=offscreen. Prints, as JSON: whether each layer is valid,
its feature count, CRS and fields, the first feature's attributes, and the
rows of the GeoPackage's metadata table.
"""

import json
import os
import sys

from qgis.core import NULL, QgsApplication, QgsVectorLayer


def plain(v):
    return None if v == NULL or v is None else v


def describe(uri, name):
    layer = QgsVectorLayer(uri, name, "ogr")
    out = {"valid": layer.isValid()}
    if not layer.isValid():
        return out
    out["count"] = layer.featureCount()
    out["crs"] = layer.crs().authid()
    out["fields"] = [f.name() for f in layer.fields()]
    out["geometry"] = layer.geometryType()
    feature = next(layer.getFeatures(), None)
    out["first"] = {f.name(): plain(feature[f.name()]) for f in layer.fields()} if feature else None
    return out


def main():
    path, layer = sys.argv[1], sys.argv[2]
    app = QgsApplication([], False)
    app.initQgis()
    report = {"layer": describe(f"{path}|layername={layer}", layer)}
    if path.endswith(".gpkg"):
        meta = QgsVectorLayer(f"{path}|layername=wijkkaart_metadata", "metadata", "ogr")
        report["metadata_valid"] = meta.isValid()
        report["metadata"] = {f["key"]: f["value"] for f in meta.getFeatures()} if meta.isValid() else {}
    print(json.dumps(report, default=str), flush=True)
    # Leave without tearing down QGIS: with layers still referenced from
    # Python, exitQgis() crashes PyQGIS 3.22 on the way out.
    os._exit(0)


if __name__ == "__main__":
    main()

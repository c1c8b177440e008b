package web

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// qgisPython is Debian's Python, which python3-qgis installs PyQGIS for.
const qgisPython = "/usr/bin/python3"

// qgisReport is what testdata/qgis_render.py reports.
type qgisReport struct {
	Failures      []string `json:"failures"`
	LayerValid    bool     `json:"layer_valid"`
	StyleWarnings []string `json:"style_warnings"`
	Identified    int      `json:"identified"`
	// QGISIdentified counts the areas QGIS's identify tool finds, with
	// the published status, value and name, at a point inside them.
	QGISIdentified int                       `json:"qgis_identified"`
	QGISExample    map[string]any            `json:"qgis_example"`
	Checked        map[string]map[string]any `json:"checked"`
	ClassesSeen    []string                  `json:"classes_seen"`
}

// TestQGISRendersStyle loads the tiles into QGIS (PyQGIS, headless) as a
// vector tile layer, styles it with the target=qgis style through QGIS's
// own MapLibre style converter, identifies the features of a gemeente and
// renders the map: at a point deep inside every area the pixel must have
// the legend's colour of the area's value or status.
func TestQGISRendersStyle(t *testing.T) {
	requireTool(t, "python3-qgis", qgisPython, "-c", "import qgis.core")
	srv := httptest.NewServer(demoServer)
	defer srv.Close()
	tests := []struct {
		name, level, indicator, group, gemeente string
		minClasses                              int
		wantStatus                              string
	}{
		{"Utrecht wijken", "wijk", "pct_bijstand", "marokko", "GM0344", 4, ""},
		{"Amersfoort buurten with suppressed values", "buurt", "pct_bijstand", "marokko", "GM0307", 3, "suppressed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			png := filepath.Join(t.TempDir(), "map.png")
			cmd := exec.CommandContext(t.Context(), qgisPython, filepath.Join("testdata", "qgis_render.py"),
				"--base", srv.URL, "--level", tt.level, "--indicator", tt.indicator, "--group", tt.group,
				"--gemeente", tt.gemeente, "--zoom", "12", "--out", png)
			cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			var rep qgisReport
			if jerr := json.Unmarshal(out, &rep); jerr != nil {
				t.Fatalf("qgis_render.py: %v, report %v:\n%s\n%s", err, jerr, out, stderr.Bytes())
			}
			for _, f := range rep.Failures {
				t.Error(f)
			}
			if err != nil && len(rep.Failures) == 0 {
				t.Errorf("qgis_render.py: %v\n%s", err, stderr.Bytes())
			}
			if !rep.LayerValid || len(rep.StyleWarnings) > 0 {
				t.Errorf("layer valid %v, style converter warnings %v", rep.LayerValid, rep.StyleWarnings)
			}
			if rep.QGISIdentified == 0 || rep.QGISIdentified != rep.Identified {
				t.Errorf("QGIS identified %d of the %d areas in the tiles", rep.QGISIdentified, rep.Identified)
			}
			for _, key := range []string{"code", "name", "status", "gemeente_code", "gemeente_name", "level", "provenance", "nl_value"} {
				if rep.QGISExample[key] == nil {
					t.Errorf("QGIS identifies a feature without %s: %v", key, rep.QGISExample)
				}
			}
			if len(rep.ClassesSeen) < tt.minClasses {
				t.Errorf("the checked areas show colours %v, want at least %d different", rep.ClassesSeen, tt.minClasses)
			}
			if tt.wantStatus != "" && !checkedStatus(rep, tt.wantStatus) {
				t.Errorf("no area with status %s was checked", tt.wantStatus)
			}
			saveScreenshot(t, png, tt.level)
		})
	}
}

// saveScreenshot copies a render to $WIJKKAART_QGIS_SCREENSHOTS, when set:
// the README's picture is made with
// WIJKKAART_QGIS_SCREENSHOTS=$PWD/docs go test ./web -run TestQGISRendersStyle
func saveScreenshot(t *testing.T, png, level string) {
	t.Helper()
	dir := os.Getenv("WIJKKAART_QGIS_SCREENSHOTS")
	if dir == "" || level != "wijk" {
		return
	}
	b, err := os.ReadFile(png)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "qgis-utrecht-bijstand-marokko.png"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func checkedStatus(rep qgisReport, status string) bool {
	for _, c := range rep.Checked {
		if c["status"] == status {
			return true
		}
	}
	return false
}

// TestGISOpensDownloads opens the GeoPackage and GeoJSON downloads with
// QGIS (PyQGIS) and GDAL (ogrinfo), as an analyst does.
func TestGISOpensDownloads(t *testing.T) {
	requireTool(t, "python3-qgis", qgisPython, "-c", "import qgis.core")
	requireTool(t, "gdal-bin", "ogrinfo", "--version")
	for _, format := range []string{"gpkg", "geojson"} {
		t.Run(format, func(t *testing.T) {
			res, body := get(t, "/api/download?level=wijk&gemeente=GM0344&indicator=pct_bijstand&group=marokko,totaal&year=2022&format="+format)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", res.StatusCode, body)
			}
			path := filepath.Join(t.TempDir(), "utrecht."+format)
			if err := os.WriteFile(path, body, 0o600); err != nil {
				t.Fatal(err)
			}
			layer := "wijk"
			if format == "geojson" {
				layer = "wijkkaart-wijk-2022-GM0344"
			}
			out, err := exec.CommandContext(t.Context(), "ogrinfo", "-ro", "-so", path, layer).CombinedOutput()
			if err != nil || !bytes.Contains(out, []byte("Feature Count: 10")) || !bytes.Contains(out, []byte("Multi Polygon")) || bytes.Contains(out, []byte("ERROR")) {
				t.Errorf("ogrinfo %s %s: %v\n%s", path, layer, err, out)
			}
			cmd := exec.CommandContext(t.Context(), qgisPython, filepath.Join("testdata", "qgis_open.py"), path, layer)
			cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen")
			qout, err := cmd.Output()
			var rep struct {
				Layer struct {
					Valid  bool           `json:"valid"`
					Count  int            `json:"count"`
					CRS    string         `json:"crs"`
					First  map[string]any `json:"first"`
					Fields []string       `json:"fields"`
				} `json:"layer"`
				MetadataValid bool              `json:"metadata_valid"`
				Metadata      map[string]string `json:"metadata"`
			}
			if jerr := json.Unmarshal(qout, &rep); err != nil || jerr != nil {
				t.Fatalf("qgis_open.py: %v %v\n%s", err, jerr, qout)
			}
			l := rep.Layer
			if !l.Valid || l.Count != 10 || l.CRS != "EPSG:4326" || l.First["gemeente_code"] != "GM0344" || !slices.Contains(l.Fields, "pct_bijstand_marokko_value") {
				t.Errorf("QGIS layer %+v", l)
			}
			if format == "gpkg" && (!rep.MetadataValid || rep.Metadata["attribution"] != "Bron: CBS / Kadaster" || rep.Metadata["licence"] == "") {
				t.Errorf("QGIS reads the metadata table as %v %v", rep.MetadataValid, rep.Metadata)
			}
		})
	}
}

// TestQGISStylesDownloadWithQML styles a GeoPackage download with the
// served .qml in QGIS and checks the rendered colours against the legend.
func TestQGISStylesDownloadWithQML(t *testing.T) {
	requireTool(t, "python3-qgis", qgisPython, "-c", "import qgis.core")
	tests := []struct {
		name, level, gemeente, wantStatus string
	}{
		{"Utrecht wijken", "wijk", "GM0344", ""},
		{"Amersfoort buurten with suppressed values", "buurt", "GM0307", "suppressed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			q := "level=" + tt.level + "&indicator=pct_bijstand&group=marokko&gemeente=" + tt.gemeente
			files := map[string]string{
				"gpkg":   "/api/download?" + q + "&format=gpkg",
				"qml":    "/styles/" + tt.level + ".qml?indicator=pct_bijstand&group=marokko&gemeente=" + tt.gemeente,
				"legend": "/api/legend?" + q,
			}
			args := []string{filepath.Join("testdata", "qgis_qml.py"), "--layer", tt.level, "--prefix", "pct_bijstand_marokko_",
				"--gemeente", tt.gemeente, "--out", filepath.Join(dir, "map.png")}
			for name, target := range files {
				res, body := get(t, target)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("%s: %d %s", target, res.StatusCode, body)
				}
				path := filepath.Join(dir, "download."+name)
				if err := os.WriteFile(path, body, 0o600); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--"+name, path)
			}
			cmd := exec.CommandContext(t.Context(), qgisPython, args...)
			cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen")
			out, err := cmd.Output()
			var rep struct {
				Failures []string                  `json:"failures"`
				Checked  map[string]map[string]any `json:"checked"`
			}
			if jerr := json.Unmarshal(out, &rep); jerr != nil {
				t.Fatalf("qgis_qml.py: %v %v\n%s", err, jerr, out)
			}
			for _, f := range rep.Failures {
				t.Error(f)
			}
			if tt.wantStatus != "" && !slices.ContainsFunc(slices.Collect(maps.Values(rep.Checked)), func(c map[string]any) bool { return c["status"] == tt.wantStatus }) {
				t.Errorf("no area with status %s was checked", tt.wantStatus)
			}
		})
	}
}

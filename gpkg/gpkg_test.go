package gpkg

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/wijkkaart/wijkkaart/boundaries"
	"github.com/wijkkaart/wijkkaart/catalog"
)

func square(x, y, d float64) orb.Polygon {
	return orb.Polygon{{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}}
}

func testLayer() (Layer, Metadata) {
	return Layer{
			Name: "wijken", Title: "Wijken", Description: "two wijken",
			Columns: []Column{
				{Name: "wijkcode", Type: Text, Description: "CBS wijkcode"},
				{Name: "wijknaam", Type: Text, Description: "naam"},
				{Name: "value", Type: Real, Description: "a value"},
			},
			Features: []Feature{
				{ID: 1, Geometry: orb.MultiPolygon{square(5.1, 52.0, 0.01)}, Values: []any{"WK034401", "Wijk 01 West", 3.5}},
				{ID: 2, Geometry: orb.MultiPolygon{square(5.2, 52.0, 0.01), square(5.3, 52.1, 0.02)}, Values: []any{"WK034402", "Wijk 02 Noordwest", nil}},
			},
		}, Metadata{
			Name: "wijkkaart_metadata", Title: "Metadata", Description: "about the wijken",
			Rows: [][2]string{{"attribution", "Bron: CBS / Kadaster"}, {"licence", "CC BY 4.0"}},
		}
}

// TestWriteReadsBack writes a GeoPackage and reads it with the project's
// own GeoPackage reader (package boundaries), which checks the header and
// the geometry blobs.
func TestWriteReadsBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.gpkg")
	layer, meta := testLayer()
	if err := Write(context.Background(), path, layer, meta); err != nil {
		t.Fatal(err)
	}
	sources, err := boundaries.ReadGeoPackage(context.Background(), path, boundaries.GeoPackageOptions{Levels: []catalog.Level{catalog.Wijk}})
	if err != nil {
		t.Fatal(err)
	}
	if len(sources) != 1 || sources[0].SRID != 4326 || len(sources[0].Features) != 2 {
		t.Fatalf("read %+v", sources)
	}
	f := sources[0].Features[1]
	if f.Code != "WK034402" || f.Name != "Wijk 02 Noordwest" || len(f.Geometry) != 2 || f.Geometry.Bound() != layer.Features[1].Geometry.Bound() {
		t.Errorf("feature %+v, want WK034402 with two squares", f)
	}
}

// TestOGRInfoValidates opens the file with GDAL, which checks the
// GeoPackage requirements as it opens it, when GDAL is installed.
func TestOGRInfoValidates(t *testing.T) {
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("needs Debian package gdal-bin (scripts/install-deps.sh installs it)")
		}
		t.Skip("needs Debian package gdal-bin")
	}
	path := filepath.Join(t.TempDir(), "out.gpkg")
	layer, meta := testLayer()
	if err := Write(context.Background(), path, layer, meta); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ogrinfo", "-ro", "-al", "-oo", "LIST_ALL_TABLES=YES", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	for _, want := range []string{"Layer name: wijken", "Geometry: Multi Polygon", "Feature Count: 2", "EPSG\",4326", "wijkcode (String) = WK034401",
		"value (Real) = 3.5", "value (Real) = (null)", "Layer name: wijkkaart_metadata", "value (String) = Bron: CBS / Kadaster"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("ogrinfo output lacks %q", want)
		}
	}
	if bytes.Contains(out, []byte("ERROR")) || bytes.Contains(out, []byte("Warning")) {
		t.Errorf("ogrinfo complains:\n%s", out)
	}
}

func TestWriteErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Layer, *Metadata)
		want string
	}{
		{"quoted table name", func(l *Layer, _ *Metadata) { l.Name = `wijken"; DROP` }, "not a plain lower-case name"},
		{"reserved table name", func(l *Layer, _ *Metadata) { l.Name = "gpkg_contents" }, "not a plain lower-case name"},
		{"same names", func(l *Layer, m *Metadata) { m.Name = l.Name }, "both named"},
		{"duplicate column", func(l *Layer, _ *Metadata) { l.Columns[1].Name = "wijkcode" }, "used twice"},
		{"fid column", func(l *Layer, _ *Metadata) { l.Columns[0].Name = "fid" }, "used twice"},
		{"unknown type", func(l *Layer, _ *Metadata) { l.Columns[0].Type = "BLOB" }, "unknown type"},
		{"missing value", func(l *Layer, _ *Metadata) { l.Features[0].Values = l.Features[0].Values[:2] }, "2 values for 3 columns"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			layer, meta := testLayer()
			tt.edit(&layer, &meta)
			path := filepath.Join(t.TempDir(), "out.gpkg")
			err := Write(context.Background(), path, layer, meta)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tt.want)
			}
			if _, statErr := os.Stat(path); !os.IsNotExist(statErr) {
				t.Errorf("a failed Write left %s behind", path)
			}
		})
	}
}

package web

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// downloadRows downloads a query and returns its areas as rows of column
// name to text, whatever the format: CSV as written, GeoJSON and
// GeoPackage numbers as CSV writes them, absent values as "".
func downloadRows(t *testing.T, query string) []map[string]string {
	t.Helper()
	res, body := get(t, "/api/download?"+query)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("download %s: %d %s", query, res.StatusCode, body)
	}
	switch {
	case strings.Contains(query, "format=csv"):
		return csvRows(t, body)
	case strings.Contains(query, "format=geojson"):
		return geoJSONRows(t, body)
	}
	return gpkgRows(t, body)
}

// csvRows reads the areas of a CSV download: the rows before the Nederland
// row.
func csvRows(t *testing.T, body []byte) []map[string]string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("\ufeff")) {
		t.Error("CSV has no UTF-8 byte order mark; Excel would garble the accents")
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	records, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, rec := range records[1:] {
		if rec[0] == "nederland" {
			break
		}
		row := make(map[string]string, len(rec))
		for i, name := range records[0] {
			row[name] = rec[i]
		}
		out = append(out, row)
	}
	return out
}

func geoJSONRows(t *testing.T, body []byte) []map[string]string {
	t.Helper()
	fc, err := geojson.UnmarshalFeatureCollection(body)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, f := range fc.Features {
		row := make(map[string]string)
		for k, v := range f.Properties {
			if v != nil {
				row[k] = formatValue(v)
			}
		}
		out = append(out, row)
		mp, ok := f.Geometry.(orb.MultiPolygon)
		if !ok || len(mp) == 0 || mp[0][0].Orientation() != orb.CCW {
			t.Errorf("%s: geometry %T is not a MultiPolygon with a counter-clockwise exterior", row["code"], f.Geometry)
		}
	}
	return out
}

// gpkgRows reads the feature table of a GeoPackage download with SQLite.
func gpkgRows(t *testing.T, body []byte) []map[string]string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "download.gpkg")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	}()
	var table string
	if err := db.QueryRowContext(context.Background(), "SELECT table_name FROM gpkg_contents WHERE data_type = 'features'").Scan(&table); err != nil {
		t.Fatal(err)
	}
	rows, err := db.QueryContext(context.Background(), fmt.Sprintf("SELECT * FROM %q", table))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make(map[string]string)
		for i, c := range cols {
			if b, ok := vals[i].([]byte); ok && c == "geom" && !bytes.HasPrefix(b, []byte("GP")) {
				t.Errorf("geometry blob does not start with GP")
			}
			if vals[i] != nil && c != "geom" {
				row[c] = formatValue(vals[i])
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDownloadMatchesValues downloads two indicators for two groups in
// every format and checks every number against /api/values.
func TestDownloadMatchesValues(t *testing.T) {
	const base = "level=wijk&gemeente=GM0344&indicator=pct_bijstand,inwoners&group=marokko,totaal&format="
	for _, format := range downloadFormats {
		t.Run(format, func(t *testing.T) {
			rows := downloadRows(t, base+format)
			if len(rows) != len(utrechtWijken) {
				t.Fatalf("%d rows, want the %d wijken of Utrecht", len(rows), len(utrechtWijken))
			}
			for _, ind := range []string{"pct_bijstand", "inwoners"} {
				for _, g := range []string{"marokko", "totaal"} {
					checkSeries(t, rows, ind, g)
				}
			}
		})
	}
}

// checkSeries checks the columns of one indicator and group.
func checkSeries(t *testing.T, rows []map[string]string, ind, group string) {
	t.Helper()
	doc := getValues(t, "level=wijk&gemeente=GM0344&indicator="+ind+"&group="+group)
	byCode := make(map[string]valueRow)
	for _, v := range doc.Values {
		byCode[v.Code] = v
	}
	p := ind + "_" + group + "_"
	for _, row := range rows {
		v := byCode[row["code"]]
		got := []string{row[p+"value"], row[p+"numerator"], row[p+"denominator"], row[p+"status"], row[p+"provenance"], row["name"]}
		want := []string{formatNumber(v.Value), formatNumber(v.Numerator), formatNumber(v.Denominator), v.Status, v.Provenance, v.Name}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s %s: download %q, /api/values %q", row["code"], p, got, want)
		}
	}
}

// TestDownloadMetadata checks that every format says where the data come
// from, under which licence, how disclosure is controlled and what the
// indicator means.
func TestDownloadMetadata(t *testing.T) {
	want := []string{"Bron: CBS / Kadaster", "CC BY 4.0", "minder dan 10 waarnemingen", "fewer than 10 observations",
		"lower_is_favourable", "Een lager percentage", "bijstandsuitkering", "demonstratiecijfers"}
	for _, format := range downloadFormats {
		t.Run(format, func(t *testing.T) {
			res, body := get(t, "/api/download?level=wijk&gemeente=GM0344&indicator=pct_bijstand&group=marokko&year=2022&format="+format)
			if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "wijkkaart-wijk-2022-GM0344.") {
				t.Fatalf("status %d, Content-Disposition %q", res.StatusCode, res.Header.Get("Content-Disposition"))
			}
			for _, w := range want {
				if !bytes.Contains(body, []byte(w)) && !bytes.Contains(body, []byte(jsonEscaped(w))) {
					t.Errorf("%s download does not say %q", format, w)
				}
			}
		})
	}
}

func jsonEscaped(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b[1 : len(b)-1])
}

func TestDownloadBadInput(t *testing.T) {
	const ok = "level=wijk&indicator=pct_bijstand&format=csv"
	tests := []struct {
		query     string
		wantInMsg string
	}{
		{"level=wijk&indicator=pct_bijstand", `format must be csv, geojson or gpkg, got ""`},
		{"level=wijk&indicator=pct_bijstand&format=xlsx", `format must be csv, geojson or gpkg, got "xlsx"`},
		{"indicator=pct_bijstand&format=csv", "unknown level"},
		{"level=wijk&format=csv", "query parameter indicator is required"},
		{"level=wijk&indicator=pct_bijstand,geluk&format=csv", `unknown indicator "geluk"`},
		{ok + "&group=marokko,marsmannetjes", `unknown group "marsmannetjes"`},
		{"level=wijk&indicator=segregatie_index&group=marokko&format=csv", "not split by herkomstgroep"},
		{ok + "&year=1850", "no data for year 1850"},
		{ok + "&gemeente=GM9999", `unknown gemeente "GM9999"`},
		{ok + "&indicatr=x", `unknown query parameter "indicatr"`},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res, body := get(t, "/api/download?"+tt.query)
			var doc struct {
				Error  string `json:"error"`
				Status int    `json:"status"`
			}
			if err := json.Unmarshal(body, &doc); err != nil || res.StatusCode != http.StatusBadRequest || doc.Status != 400 || !strings.Contains(doc.Error, tt.wantInMsg) {
				t.Errorf("status %d, %s (%v); want 400 mentioning %q", res.StatusCode, body, err, tt.wantInMsg)
			}
		})
	}
}

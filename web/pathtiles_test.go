package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestPathTiles(t *testing.T) {
	_, xyz := get(t, "/tiles/wijk/12/2105/1351.mvt?indicator=pct_bijstand&group=marokko&year=2022")
	for _, ext := range []string{"mvt", "pbf"} {
		res, body := get(t, "/tiles/wijk/pct_bijstand/marokko/2022/12/2105/1351."+ext)
		if res.StatusCode != http.StatusOK || len(body) == 0 || !bytes.Equal(body, xyz) {
			t.Errorf(".%s: status %d, %d bytes; want the %d bytes of the XYZ tile", ext, res.StatusCode, len(body), len(xyz))
		}
	}
	res, body := get(t, "/tiles/wijk/pct_bijstand/marokko/2022/metadata.json")
	var meta struct {
		Bounds, JSON, Format string
	}
	if err := json.Unmarshal(body, &meta); err != nil || res.StatusCode != http.StatusOK || meta.Format != "pbf" ||
		strings.Count(meta.Bounds, ",") != 3 || !strings.Contains(meta.JSON, `"value":"Number"`) {
		t.Errorf("metadata.json: status %d, %+v (%v)", res.StatusCode, meta, err)
	}
}

func TestPathTilesBadInput(t *testing.T) {
	tests := []struct {
		target     string
		wantStatus int
		wantInMsg  string
	}{
		{"/tiles/wijk/geluk/marokko/2022/12/2105/1351.pbf", 400, `unknown indicator "geluk"`},
		{"/tiles/wijk/pct_bijstand/marsmannetjes/2022/12/2105/1351.pbf", 400, `unknown group "marsmannetjes"`},
		{"/tiles/wijk/pct_bijstand/marokko/1850/12/2105/1351.pbf", 400, "no data for year 1850"},
		{"/tiles/wijk/pct_bijstand/marokko/2022/12/2105/1351.pbf?indicator=x", 400, "unknown query parameter"},
		{"/tiles/provincie/pct_bijstand/marokko/2022/12/2105/1351.pbf", 404, "unknown level"},
		{"/tiles/wijk/pct_bijstand/marokko/2022/12/5000/1351.pbf", 404, "must be below 4096"},
		{"/tiles/wijk/geluk/marokko/2022/metadata.json", 400, `unknown indicator "geluk"`},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			res, body := get(t, tt.target)
			var doc struct {
				Error string `json:"error"`
			}
			if err := json.Unmarshal(body, &doc); err != nil || res.StatusCode != tt.wantStatus || !strings.Contains(doc.Error, tt.wantInMsg) {
				t.Errorf("status %d, %s (%v); want %d mentioning %q", res.StatusCode, body, err, tt.wantStatus, tt.wantInMsg)
			}
		})
	}
}

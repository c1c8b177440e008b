package export

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
)

func TestRenameLayers(t *testing.T) {
	tests := []struct {
		name   string
		layers []string
	}{
		{"one layer", []string{"wijk"}},
		{"two layers", []string{"wijk", "buurt"}},
		{"no layer", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in mvt.Layers
			for _, name := range tt.layers {
				f := geojson.NewFeature(orb.Point{10, 20})
				f.ID = float64(7)
				f.Properties = geojson.Properties{"code": "WK034401", "value": 1.5}
				in = append(in, &mvt.Layer{Name: name, Version: 2, Extent: 4096, Features: []*geojson.Feature{f}})
			}
			b, err := mvt.Marshal(in)
			if err != nil {
				t.Fatal(err)
			}
			renamed, err := renameLayers(b, "pct_bijstand.marokko")
			if err != nil {
				t.Fatal(err)
			}
			out, err := mvt.Unmarshal(renamed)
			if err != nil || len(out) != len(tt.layers) {
				t.Fatalf("%v, %d layers", err, len(out))
			}
			for _, l := range out {
				if l.Name != "pct_bijstand.marokko" || l.Extent != 4096 || len(l.Features) != 1 ||
					l.Features[0].Properties["code"] != "WK034401" || l.Features[0].Geometry != (orb.Point{10, 20}) {
					t.Errorf("layer %+v", l)
				}
			}
		})
	}
	if _, err := renameLayers([]byte{0x1a, 0x05, 0x0a}, "x"); err == nil {
		t.Error("a truncated tile renamed without error")
	}
}

func TestOptions(t *testing.T) {
	utrecht := orb.Bound{Min: orb.Point{4.97, 52.03}, Max: orb.Point{5.19, 52.14}}
	tests := []struct {
		name    string
		o       Options
		want    int
		wantErr string
	}{
		{"one zoom", Options{MinZoom: 10, MaxZoom: 10, Bound: utrecht}, 2, ""},
		{"three zooms", Options{MinZoom: 10, MaxZoom: 12, Bound: utrecht}, 2 + 4 + 12, ""},
		{"too many", Options{MinZoom: 10, MaxZoom: 16, Bound: utrecht, MaxTiles: 100}, 0, "more than 100 tiles"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addrs, err := tt.o.tileAddresses()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || len(addrs) != tt.want {
				t.Fatalf("%d tiles (%v), want %d", len(addrs), err, tt.want)
			}
			for _, a := range addrs {
				if !a.Bound().Intersects(utrecht) {
					t.Errorf("tile %v is outside the area", a)
				}
			}
		})
	}
	checks := []struct {
		name    string
		o       Options
		wantErr string
	}{
		{"no indicator", Options{Handler: stubHandler{}, Bound: utrecht}, "no indicator"},
		{"zooms crossed", Options{Handler: stubHandler{}, Indicators: []string{"x"}, MinZoom: 12, MaxZoom: 10, Bound: utrecht}, "min zoom 12 is above max zoom 10"},
		{"zoom too high", Options{Handler: stubHandler{}, Indicators: []string{"x"}, MinZoom: 12, MaxZoom: 17, Bound: utrecht}, "above 16"},
		{"no area", Options{Handler: stubHandler{}, Indicators: []string{"x"}}, "area is empty"},
	}
	for _, tt := range checks {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.o.check(); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %v, want %q", err, tt.wantErr)
			}
		})
	}
	var z maptile.Zoom
	if got := (Options{Bound: utrecht, MinZoom: z, MaxZoom: z}); got.check() == nil {
		t.Error("options without a server pass")
	}
}

// stubHandler stands for a server in checks that never ask it.
type stubHandler struct{}

// ServeHTTP implements http.Handler.
func (stubHandler) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.WriteHeader(http.StatusTeapot)
}

// TestGetCancelled checks that a cancelled request is an error, not the
// empty answer a server gives a client that left.
func TestGetCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	silent := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	if body, err := get(ctx, silent, "/tiles/wijk/10/1/1.mvt"); err == nil || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled request: %d bytes, error %v", len(body), err)
	}
}

package web

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestShapeCacheServesTheSameTiles asks a server with a shape cache for
// tiles of several choropleths on the same areas, so that all but the
// first are made from the shapes the first left, and checks that each is
// byte for byte the tile the demo server (no shape cache) renders from
// geometry: the cache changes how often geometry is read, never a tile.
func TestShapeCacheServesTheSameTiles(t *testing.T) {
	cached, err := New(Config{Store: demoServer.cfg.Store, Catalog: demoServer.cfg.Catalog,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), ShapeCacheBytes: 16 << 20})
	if err != nil {
		t.Fatal(err)
	}
	positions := []string{
		"/tiles/wijk/6/32/21.mvt",       // a quarter of the country
		"/tiles/buurt/12/2103/1346.mvt", // Utrecht
		"/tiles/auto/11/1051/673.mvt",   // wijken and buurten together
		"/tiles/gemeente/9/262/168.mvt",
	}
	selections := []string{
		"indicator=pct_bijstand&group=marokko",
		"indicator=pct_bijstand&group=totaal&year=2022",
		"indicator=aantal_herkomst&group=turkije&year=2020",
		"indicator=pct_bijstand&group=totaal&year=2024&compare=2022",
	}
	for _, pos := range positions {
		for _, sel := range selections {
			target := pos + "?" + sel
			t.Run(target, func(t *testing.T) {
				rec := httptest.NewRecorder()
				cached.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://wijkkaart.test"+target, nil))
				want, wantBody := get(t, target)
				if rec.Code != want.StatusCode || !bytes.Equal(rec.Body.Bytes(), wantBody) {
					t.Errorf("with the shape cache: %d, %d bytes; without: %d, %d bytes", rec.Code, rec.Body.Len(), want.StatusCode, len(wantBody))
				}
			})
		}
	}
	if st := cached.shapes.Stats(); st.Hits == 0 || st.Entries == 0 {
		t.Errorf("the shape cache was not used: %+v", st)
	}
}

package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/demo"
	"github.com/wijkkaart/wijkkaart/disclosure"
	"github.com/wijkkaart/wijkkaart/store/memstore"
)

// demoServer is the server on the published embedded demo data that
// every test in this package asks, and demoData the raw demo data it was
// published from, for tests that import it into PostGIS. Publishing the
// demo data takes a moment, so they are made once, in TestMain, and only
// read afterwards.
var (
	demoServer *Server
	demoData   *demo.Dataset
)

// testPolicy is the disclosure rule the tests publish with.
var testPolicy = disclosure.Policy{MinObservations: disclosure.DefaultMinObservations}

func TestMain(m *testing.M) {
	srv, ds, err := newDemoServer()
	if err != nil {
		fmt.Fprintln(os.Stderr, "web tests:", err)
		os.Exit(1)
	}
	demoServer, demoData = srv, ds
	os.Exit(m.Run())
}

func newDemoServer() (*Server, *demo.Dataset, error) {
	cat, err := catalog.Default()
	if err != nil {
		return nil, nil, err
	}
	ds, err := demo.Load(cat)
	if err != nil {
		return nil, nil, err
	}
	b, err := memstore.NewBuilder(cat, ds.AllAreas())
	if err != nil {
		return nil, nil, err
	}
	if err := ds.PublishInto(context.Background(), cat, testPolicy, b); err != nil {
		return nil, nil, err
	}
	srv, err := New(Config{
		Store:   b.Build(1),
		Catalog: cat,
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		// The cache is tested in package tiles; here every request
		// renders its tile.
	})
	return srv, ds, err
}

// get sends a GET to the demo server and returns the response with its
// body read.
func get(t testing.TB, target string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "http://wijkkaart.test"+target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	demoServer.ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

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

// demoServer is the server on the embedded demo data that every test in
// this package asks. Loading the demo data takes a moment, so it is made
// once, in TestMain, and only read afterwards.
var demoServer *Server

func TestMain(m *testing.M) {
	srv, err := newDemoServer()
	if err != nil {
		fmt.Fprintln(os.Stderr, "web tests:", err)
		os.Exit(1)
	}
	demoServer = srv
	os.Exit(m.Run())
}

func newDemoServer() (*Server, error) {
	cat, err := catalog.Default()
	if err != nil {
		return nil, err
	}
	ds, err := demo.Load(cat)
	if err != nil {
		return nil, err
	}
	b, err := memstore.NewBuilder(cat, ds.AllAreas())
	if err != nil {
		return nil, err
	}
	if err := ds.PublishInto(context.Background(), cat, disclosure.Policy{MinObservations: disclosure.DefaultMinObservations}, b); err != nil {
		return nil, err
	}
	return New(Config{
		Store:   b.Build(1),
		Catalog: cat,
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		// The cache is tested in package tiles; here every request
		// renders its tile.
	})
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

package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"
	"unicode/utf8"
)

// malformedRequests are the requests of issue 13 that once answered 500 or
// 200 where an error was due, each with what its error must name.
var malformedRequests = []struct {
	target string
	want   string // in the error message
}{
	{"/api/areas?q=a&level=auto", "level auto"},
	{"/api/areas?gemeente=%FF", "gemeente is not valid UTF-8"},
	{"/api/areas?gemeente=%00", "gemeente holds a control character"},
	{"/api/areas?q=%00", "q holds a control character"},
	{"/api/areas?q=a%00b&level=wijk", "q holds a control character"},
	{"/api/areas?gemeente=Utrecht", "gemeente must be a CBS gemeente code"},
	{"/api/areas?limit=20000", "limit must be a whole number from 1 to 1000"},
	{"/api/areas?limit=-1", "limit must be"},
	{"/api/areas?q=" + strings.Repeat("a", 101), "q must be at most 100 characters"},
	{"/api/areas?q=" + strings.Repeat("a", 300), "q is longer than 256 bytes"},
	{"/api/areas?q=%zz", "q is not properly %-encoded"},
	{"/api/areas?q=a;b", "not properly %-encoded"},
	{"/api/values?level=wijk&indicator=pct_bijstand&indicator=pct_nww", "indicator is given more than once"},
	{"/api/values?level=wijk&indicator=pct_bijstand&year=2022&year=abc", "year is given more than once"},
	{"/api/values?level=wijk&indicator=pct_bijstand&gemeente=%FF", "gemeente is not valid UTF-8"},
	{"/api/values?level=auto&indicator=pct_bijstand&group=%C0%AE", "group is not valid UTF-8"},
	{"/tiles/wijk/6/33/21.mvt?indicator=inwoners&year=%002022", "year holds a control character"},
	{"/tiles/wijk/6/33/21.mvt?indicator=inwoners&year=99999999999999999999", "year must be"},
	{"/tiles/wijk/6/33/21.mvt?indicator=" + strings.Repeat("indicator=pct_bijstand&", 20), "more than once"},
	{"/tiles/wijk/6/33/21.mvt?" + strings.Repeat("indicator=pct_bijstand&", 4500), "query string is longer than 4096 bytes"},
	{"/tiles/wijk/6/33/21.mvt?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11&l=12&m=13&n=14&o=15&p=16&q=17", "more than 16 query parameters"},
	{"/tiles/wijk/999999999999999999999/0/0.mvt?indicator=inwoners", "z must be"},
	{"/tiles/%FF/6/33/21.mvt?indicator=inwoners", "path is not valid UTF-8"},
	{"/tiles/wijk.json?indicator=pct_bijstand&%FF=1", `query parameter name "\xff" is not valid UTF-8`},
	{"/tiles/wijk.json?indicator=pct_bijstand&" + strings.Repeat("x", 40) + "=1", "query parameter name"},
	{"/styles/wijk.json?indicator=pct_bijstand&classes=0", "classes must be a whole number from 3 to 7"},
	{"/styles/wijk.json?indicator=pct_bijstand&classes=8", "classes must be"},
	{"/styles/wijk.json?indicator=pct_bijstand&classes=99999999999999999999", "classes must be"},
	{"/api/legend?level=wijk&indicator=pct_bijstand&method=manual&breaks=NaN,1", "break"},
	{"/api/indicators?x=1", `unknown query parameter "x"`},
	{"/healthz?x=1", `unknown query parameter "x"`},
	{"/%FF", "path is not valid UTF-8"},
	{"/%C0%AE%C0%AE/etc/passwd", "path is not valid UTF-8"},
	{"/a%00b", "path holds a control character"},
	{"/" + strings.Repeat("a", 2000), "path is longer than 1024 bytes"},
	{"/etc/passwd", "no such file etc/passwd"},
	{"/nothing.js", "no such file nothing.js"},
	{"/assets/", "no such"},
}

// malformedMatrix returns, for every endpoint and each of its parameters,
// a request with that parameter repeated, not UTF-8, holding NUL, and
// overlong — each must be refused naming the parameter.
func malformedMatrix() []struct{ target, want string } {
	endpoints := []struct {
		path  string
		query string // a valid query
	}{
		{"/tiles/wijk/10/525/336.mvt", "indicator=pct_bijstand&group=marokko&year=2022"},
		{"/tiles/wijk.json", "indicator=pct_bijstand&group=marokko&year=2022"},
		{"/styles/wijk.json", "indicator=pct_bijstand&group=marokko&year=2022&gemeente=GM0344&method=quantile&classes=5&palette=blues"},
		{"/api/legend", "level=wijk&indicator=pct_bijstand&group=marokko&year=2022&gemeente=GM0344&method=manual&breaks=1,2,3"},
		{"/api/values", "level=wijk&indicator=pct_bijstand&group=marokko&year=2022&gemeente=GM0344&format=json"},
		{"/api/areas", "q=utrecht&level=gemeente&gemeente=GM0344&year=2022&limit=5"},
	}
	var out []struct{ target, want string }
	for _, e := range endpoints {
		q, err := url.ParseQuery(e.query)
		if err != nil {
			panic(err)
		}
		for name := range q {
			for _, bad := range []struct{ value, want string }{
				{url.QueryEscape(q.Get(name)) + "&" + name + "=" + url.QueryEscape(q.Get(name)), name + " is given more than once"},
				{"%FF", name + " is not valid UTF-8"},
				{"a%00", name + " holds a control character"},
				{strings.Repeat("a", 257), name + " is longer than 256 bytes"},
			} {
				other := url.Values{}
				for k, v := range q {
					if k != name {
						other[k] = v
					}
				}
				out = append(out, struct{ target, want string }{e.path + "?" + other.Encode() + "&" + name + "=" + bad.value, bad.want})
			}
		}
	}
	return out
}

// newTestServer returns a server on the demo store, changed by edit, with
// a small map client so that the static files are served.
func newTestServer(t testing.TB, edit func(*Config)) *Server {
	t.Helper()
	cfg := demoServer.cfg
	cfg.AccessLog = nil // the demo server's; requests go to the Logger an edit sets
	cfg.Client = fstest.MapFS{
		"index.html":       {Data: []byte("<!doctype html><title>wijkkaart</title>")},
		"app.js":           {Data: []byte("console.log('wijkkaart')")},
		"assets/style.css": {Data: []byte("body{}")},
	}
	if edit != nil {
		edit(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// serve sends one request to srv and returns the answer.
func serve(srv http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "http://wijkkaart.test/", nil)
	req.URL = mustParseTarget(target)
	req.RequestURI = target
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if host := req.Header.Get("Host"); host != "" {
		req.Host = host
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec
}

// mustParseTarget parses a request target as net/http's server does, so
// that targets httptest.NewRequest refuses still reach the handler.
func mustParseTarget(target string) *url.URL {
	u, err := url.ParseRequestURI(target)
	if err != nil {
		panic(err)
	}
	return u
}

// TestMalformedRequests sends issue 13's malformed requests to the
// embedded store: every one is a 4xx JSON answer naming the problem.
func TestMalformedRequests(t *testing.T) {
	srv := newTestServer(t, nil)
	for _, tt := range malformedRequests {
		t.Run(truncate(tt.target, 80), func(t *testing.T) {
			checkErrorAnswer(t, serve(srv, http.MethodGet, tt.target), tt.want)
		})
	}
	for _, tt := range malformedMatrix() {
		t.Run(truncate(tt.target, 120), func(t *testing.T) {
			checkErrorAnswer(t, serve(srv, http.MethodGet, tt.target), tt.want)
		})
	}
}

// checkErrorAnswer checks an answer is a 4xx JSON error saying want.
func checkErrorAnswer(t *testing.T, rec *httptest.ResponseRecorder, want string) {
	t.Helper()
	if rec.Code < 400 || rec.Code >= 500 {
		t.Errorf("status %d, want 4xx (%s)", rec.Code, truncate(rec.Body.String(), 300))
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content type %q, want JSON", ct)
	}
	var doc struct {
		Error  string `json:"error"`
		Status int    `json:"status"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("body is not JSON: %v: %q", err, truncate(rec.Body.String(), 300))
	}
	if doc.Status != rec.Code || !strings.Contains(doc.Error, want) {
		t.Errorf("error %q status %d, want it to say %q and status %d", doc.Error, doc.Status, want, rec.Code)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q on an error, want no-store", cc)
	}
}

// TestValidateQuery checks the strict query parser on its own.
func TestValidateQuery(t *testing.T) {
	tests := []struct {
		raw     string
		want    url.Values
		wantErr string
	}{
		{"", url.Values{}, ""},
		{"a=1&b=x+y&&c=%C3%A9", url.Values{"a": {"1"}, "b": {"x y"}, "c": {"é"}}, ""},
		{"flag", url.Values{"flag": {""}}, ""},
		{"a=1&a=1", nil, "a is given more than once"},
		{"a=%G0", nil, "a is not properly"},
		{"%=1", nil, "name \"%\" is not properly"},
		{"a=%E2%80%8B", url.Values{"a": {"\u200b"}}, ""},
		{"a=%7F", nil, "a holds a control character"},
		{"a=%C2%85", nil, "a holds a control character"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := validateQuery(tt.raw)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got.Get(k) != v[0] {
					t.Errorf("%s = %q, want %q", k, got.Get(k), v[0])
				}
			}
		})
	}
}

// FuzzValidateQuery checks that the query parser never panics, answers
// every refusal with a 400 that names a parameter or the query, and lets
// through only what it promises: each parameter once, valid UTF-8, no
// control characters, within the limits. The seeds run with go test.
func FuzzValidateQuery(f *testing.F) {
	for _, seed := range []string{
		"", "indicator=pct_bijstand&group=marokko&year=2022", "q=%", "q=%25", "q=a%00b", "gemeente=%FF",
		"indicator=a&indicator=b", "year=2022&year=abc", "classes=0", "%C0%AE%C0%AE=1", "a;b=c", "=", "&&&",
		"limit=20000", "q=" + strings.Repeat("%E2%82%AC", 40), strings.Repeat("x=1&", 17),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := validateQuery(raw)
		if err != nil {
			var ae *apiError
			if !errors.As(err, &ae) || ae.status != http.StatusBadRequest {
				t.Fatalf("error %v is not a 400", err)
			}
			if !strings.Contains(ae.msg, "query") {
				t.Fatalf("error %q names neither a parameter nor the query", ae.msg)
			}
			return
		}
		if len(q) > maxParams {
			t.Fatalf("%d parameters", len(q))
		}
		for name, values := range q {
			if len(values) != 1 {
				t.Fatalf("%s given %d times", name, len(values))
			}
			for _, text := range []string{name, values[0]} {
				if !utf8.ValidString(text) || strings.IndexFunc(text, unicode.IsControl) >= 0 || len(text) > maxValueBytes {
					t.Fatalf("let through %q", text)
				}
			}
		}
	})
}

// FuzzQueryNo5xx sends fuzzed query strings to the legend, areas and tile
// endpoints of the demo server: no answer is a 5xx, every error is JSON.
func FuzzQueryNo5xx(f *testing.F) {
	for _, seed := range []string{
		"level=wijk&indicator=pct_bijstand&group=marokko&gemeente=GM0344",
		"level=auto&indicator=pct_bijstand&classes=0", "level=wijk&indicator=pct_bijstand&method=manual&breaks=1,2,1",
		"q=a&level=auto", "q=%", "limit=0", "gemeente=GM0344&level=buurt", "year=0999", "palette=%FF",
	} {
		f.Add(seed)
	}
	srv := newTestServer(f, nil)
	f.Fuzz(func(t *testing.T, raw string) {
		if strings.ContainsAny(raw, "#") {
			return // a fragment never reaches a server
		}
		for _, path := range []string{"/api/legend", "/api/areas", "/tiles/wijk.json"} {
			u, err := url.ParseRequestURI(path + "?" + raw)
			if err != nil {
				return
			}
			rec := serve(srv, http.MethodGet, u.String())
			if rec.Code >= 500 {
				t.Fatalf("%s?%s: status %d: %s", path, raw, rec.Code, rec.Body)
			}
			if rec.Code >= 400 && !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("%s?%s: error is not JSON: %s", path, raw, rec.Body)
			}
		}
	})
}

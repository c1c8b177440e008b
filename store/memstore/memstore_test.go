package memstore

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

func testArea(level catalog.Level, code, name string, x float64) store.Area {
	gm := code
	if level != catalog.Gemeente {
		gm = "GM" + code[2:6]
	}
	ring := orb.Ring{{x, 0.3}, {x + 0.01, 0.3}, {x + 0.01, 0.31}, {x, 0.31}, {x, 0.3}}
	return store.Area{Level: level, Year: 2022, Code: code, Name: name, GemeenteCode: gm,
		Geometry: orb.MultiPolygon{{ring}}}
}

// published returns a published value of pct_bijstand for group totaal.
func published(level catalog.Level, code string, status store.Status, value, num, den float64) store.Published {
	p := store.Published{Level: level, Year: 2022, Code: code, Indicator: "pct_bijstand", Group: "totaal",
		Status: status, Provenance: store.Demo}
	return p.WithNumbers(store.NullFloat(value), store.NullFloat(num), store.NullFloat(den))
}

// testPublished is what the test store holds.
var testPublished = []store.Published{
	published(catalog.Wijk, "WK034401", store.OK, 4, 4, 100),
	published(catalog.Wijk, "WK034402", store.Suppressed, 0, 0, 0),
	published(catalog.Nederland, catalog.NederlandCode, store.OK, 4.2, 420, 10000),
}

func newBuilder(t *testing.T, areas ...store.Area) *Builder {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewBuilder(cat, areas)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newTestStore(t *testing.T) *Store {
	t.Helper()
	b := newBuilder(t,
		testArea(catalog.Wijk, "WK034402", "Oost", 0.52),
		testArea(catalog.Wijk, "WK034401", "Binnenstad", 0.51),
		testArea(catalog.Wijk, "WK059901", "Stadscentrum", 0.40),
		testArea(catalog.Gemeente, "GM0344", "Utrecht", 0.51),
	)
	for _, p := range testPublished {
		if err := b.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	b.Published(store.Publication{Year: 2022, Indicator: "pct_bijstand", MinObservations: 10, CountRounding: 5})
	return b.Build(7)
}

func codes(as []store.Area) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Code)
	}
	return out
}

func TestAreas(t *testing.T) {
	s := newTestStore(t)
	tests := []struct {
		name string
		q    store.AreaQuery
		want []string
	}{
		{"all wijken, by code", store.AreaQuery{Level: catalog.Wijk, Year: 2022}, []string{"WK034401", "WK034402", "WK059901"}},
		{"in a gemeente", store.AreaQuery{Level: catalog.Wijk, Year: 2022, Gemeente: "GM0344"}, []string{"WK034401", "WK034402"}},
		{"by name, ignoring case", store.AreaQuery{Level: catalog.Wijk, Year: 2022, NameContains: "OOST"}, []string{"WK034402"}},
		{"within a bound", store.AreaQuery{Level: catalog.Wijk, Year: 2022, Within: orb.Bound{Min: orb.Point{0.39, 0.29}, Max: orb.Point{0.45, 0.35}}}, []string{"WK059901"}},
		{"by code", store.AreaQuery{Level: catalog.Wijk, Year: 2022, Codes: []string{"WK034402"}}, []string{"WK034402"}},
		{"limited", store.AreaQuery{Level: catalog.Wijk, Year: 2022, Limit: 1}, []string{"WK034401"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Areas(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(codes(got), tt.want) {
				t.Errorf("got %v, want %v", codes(got), tt.want)
			}
			for _, a := range got {
				if a.Geometry != nil {
					t.Errorf("%s has geometry though none was asked for", a.Code)
				}
			}
		})
	}
}

func TestAreasUnknownYear(t *testing.T) {
	_, err := newTestStore(t).Areas(context.Background(), store.AreaQuery{Level: catalog.Wijk, Year: 1999})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("error %v, want ErrNotFound", err)
	}
}

func TestValuesRoundTrip(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	got, err := s.Values(ctx, store.ValueQuery{Level: catalog.Wijk, Year: 2022, Indicator: "pct_bijstand", Group: "totaal", Gemeente: "GM0344"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, testPublished[:2]) {
		t.Errorf("got %+v\nwant %+v", got, testPublished[:2])
	}
	if _, ok := got[1].Value(); ok {
		t.Errorf("a suppressed value kept a number: %+v", got[1])
	}
	nl, err := s.Values(ctx, store.ValueQuery{Level: catalog.Nederland, Year: 2022, Indicator: "pct_bijstand", Group: "totaal"})
	if err != nil || len(nl) != 1 || nl[0] != testPublished[2] {
		t.Errorf("Nederland: %+v, %v", nl, err)
	}
	years, err := s.Years(ctx)
	if err != nil || !slices.Equal(years, []int{2022}) {
		t.Errorf("years %v, %v", years, err)
	}
	if v, err := s.Version(ctx); err != nil || v != 7 {
		t.Errorf("version %d, %v", v, err)
	}
}

func TestWriteReadValues(t *testing.T) {
	s := newTestStore(t)
	var file bytes.Buffer
	if err := s.WriteValues(&file); err != nil {
		t.Fatal(err)
	}
	b := newBuilder(t, testArea(catalog.Wijk, "WK034401", "Binnenstad", 0.51))
	if err := b.ReadValues(bytes.NewReader(file.Bytes())); err == nil {
		t.Error("values were read into a store with other areas")
	}
	ctx := context.Background()
	areas, err := s.Areas(ctx, store.AreaQuery{Level: catalog.Wijk, Year: 2022, WithGeometry: true})
	if err != nil {
		t.Fatal(err)
	}
	gemeenten, err := s.Areas(ctx, store.AreaQuery{Level: catalog.Gemeente, Year: 2022, WithGeometry: true})
	if err != nil {
		t.Fatal(err)
	}
	b = newBuilder(t, append(areas, gemeenten...)...)
	if err := b.ReadValues(bytes.NewReader(file.Bytes())); err != nil {
		t.Fatal(err)
	}
	read := b.Build(7)
	for _, q := range []store.ValueQuery{
		{Level: catalog.Wijk, Year: 2022, Indicator: "pct_bijstand", Group: "totaal"},
		{Level: catalog.Nederland, Year: 2022, Indicator: "pct_bijstand", Group: "totaal"},
	} {
		want, err := s.Values(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		got, err := read.Values(ctx, q)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("%s: read %+v, %v; want %+v", q.Level, got, err, want)
		}
	}
	if pubs, err := read.Publications(ctx); err != nil || len(pubs) != 1 || pubs[0].MinObservations != 10 {
		t.Errorf("publications %+v, %v", pubs, err)
	}
	if err := newBuilder(t).ReadValues(strings.NewReader("not gzip")); err == nil {
		t.Error("garbage was read")
	}
}

func TestAddRejectsBadValues(t *testing.T) {
	tests := []struct {
		name   string
		values []store.Published
	}{
		{"unknown area", []store.Published{published(catalog.Wijk, "WK999999", store.OK, 1, 1, 10)}},
		{"unknown level", []store.Published{published(catalog.Buurt, "BU03440101", store.OK, 1, 1, 10)}},
		{"duplicate", []store.Published{published(catalog.Wijk, "WK034401", store.OK, 1, 1, 10), published(catalog.Wijk, "WK034401", store.OK, 2, 2, 10)}},
		{"more decimals than published", []store.Published{published(catalog.Wijk, "WK034401", store.OK, 1.25, 1, 10)}},
		{"a count that is no whole number", []store.Published{published(catalog.Wijk, "WK034401", store.OK, 1, 1.5, 10)}},
		{"unknown status", []store.Published{{Level: catalog.Wijk, Year: 2022, Code: "WK034401", Indicator: "pct_bijstand", Group: "totaal", Status: "secret"}}},
		{"unknown indicator", []store.Published{{Level: catalog.Wijk, Year: 2022, Code: "WK034401", Indicator: "nope", Group: "totaal", Status: store.NoData}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBuilder(t, testArea(catalog.Wijk, "WK034401", "Binnenstad", 0.5))
			var err error
			for _, v := range tt.values {
				if err = b.Add(v); err != nil {
					break
				}
			}
			if err == nil {
				t.Error("Add accepted bad values")
			}
		})
	}
}

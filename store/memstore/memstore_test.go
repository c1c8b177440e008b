package memstore

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

func testArea(level catalog.Level, code, name string, x float64) store.Area {
	gm, _ := catalog.GemeenteOf(code)
	ring := orb.Ring{{x, 0.3}, {x + 0.01, 0.3}, {x + 0.01, 0.31}, {x, 0.31}, {x, 0.3}}
	return store.Area{Level: level, Year: 2022, Code: code, Name: name, GemeenteCode: gm,
		Geometry: orb.MultiPolygon{{ring}}}
}

func testValues(vs ...store.Value) func(func(store.Value) bool) {
	return func(yield func(store.Value) bool) {
		for _, v := range vs {
			if !yield(v) {
				return
			}
		}
	}
}

func value(level catalog.Level, code string, v float64, obs int) store.Value {
	return store.Value{Level: level, Year: 2022, Code: code, Indicator: "pct_bijstand", Group: "totaal",
		Value: store.NullFloat(v), Numerator: store.NullFloat(v), Denominator: store.NullFloat(100),
		Observations: obs, Provenance: store.Demo}
}

func newTestStore(t *testing.T) *Store {
	t.Helper()
	areas := []store.Area{
		testArea(catalog.Wijk, "WK034402", "Oost", 0.52),
		testArea(catalog.Wijk, "WK034401", "Binnenstad", 0.51),
		testArea(catalog.Wijk, "WK059901", "Stadscentrum", 0.40),
		testArea(catalog.Gemeente, "GM0344", "Utrecht", 0.51),
	}
	s, err := New(areas, testValues(
		value(catalog.Wijk, "WK034401", 4, 100),
		value(catalog.Wijk, "WK034402", 5, 3),
		value(catalog.Nederland, catalog.NederlandCode, 4.2, 1000),
	))
	if err != nil {
		t.Fatal(err)
	}
	return s
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
	got, err := s.Values(context.Background(), store.ValueQuery{Level: catalog.Wijk, Year: 2022, Indicator: "pct_bijstand", Group: "totaal", Gemeente: "GM0344"})
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Value{value(catalog.Wijk, "WK034401", 4, 100), value(catalog.Wijk, "WK034402", 5, 3)}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	nl, err := s.Values(context.Background(), store.ValueQuery{Level: catalog.Nederland, Year: 2022, Indicator: "pct_bijstand", Group: "totaal"})
	if err != nil || len(nl) != 1 || nl[0].Value.V != 4.2 {
		t.Errorf("Nederland: %+v, %v", nl, err)
	}
	years, err := s.Years(context.Background())
	if err != nil || !slices.Equal(years, []int{2022}) {
		t.Errorf("years %v, %v", years, err)
	}
}

func TestNewRejectsBadValues(t *testing.T) {
	areas := []store.Area{testArea(catalog.Wijk, "WK034401", "Binnenstad", 0.5)}
	tests := []struct {
		name   string
		values []store.Value
	}{
		{"unknown area", []store.Value{value(catalog.Wijk, "WK999999", 1, 10)}},
		{"unknown level", []store.Value{value(catalog.Buurt, "BU03440101", 1, 10)}},
		{"duplicate", []store.Value{value(catalog.Wijk, "WK034401", 1, 10), value(catalog.Wijk, "WK034401", 2, 10)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(areas, testValues(tt.values...)); err == nil {
				t.Error("New accepted bad values")
			}
		})
	}
}

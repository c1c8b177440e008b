// Package boundaries reads CBS area boundaries (gemeenten, wijken, buurten)
// as CBS and PDOK publish them: the Wijk- en buurtkaart GeoPackage and
// GeoJSON. Readers check every code, name the gemeente each area lies in and
// return Sources in the file's coordinate reference system; PostGIS
// reprojects them on import, and Source.Areas projects WGS84 sources for
// the embedded store.
package boundaries

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/geo"
	"github.com/wijkkaart/wijkkaart/store"
)

// GeoJSONOptions say how to read a GeoJSON boundary file: which level its
// features are, and which feature properties hold what.
type GeoJSONOptions struct {
	// Level is the level of every feature: catalog.Gemeente, catalog.Wijk
	// or catalog.Buurt. A feature whose code is of another level is an
	// error.
	Level catalog.Level
	// CodeProperty names the property holding the CBS code, such as
	// "statcode" or "wijkcode". Required.
	CodeProperty string
	// NameProperty names the property holding the area name. Optional: an
	// area without it gets an empty name.
	NameProperty string
	// GemeenteCodeProperty names the property holding the code of the
	// gemeente the area lies in. When it is empty, or a feature lacks the
	// property, the gemeente code is derived from the area code (see
	// catalog.GemeenteOf). When present it must agree with the code.
	// Ignored for level gemeente, where the gemeente is the area itself.
	GemeenteCodeProperty string
	// GemeenteNameProperty names the property holding the gemeente name.
	// Optional. Ignored for level gemeente.
	GemeenteNameProperty string
	// WijkCodeProperty names the property holding the code of the wijk a
	// buurt lies in. When it is empty or a feature lacks it, the wijk code
	// is derived from the buurt code. Buurten only.
	WijkCodeProperty string
}

func (opt GeoJSONOptions) check() error {
	switch opt.Level {
	case catalog.Gemeente, catalog.Wijk, catalog.Buurt:
	default:
		return fmt.Errorf("level %q cannot be read from a boundary file (want gemeente, wijk or buurt)", opt.Level)
	}
	if opt.CodeProperty == "" {
		return errors.New("no code property given")
	}
	return nil
}

// ReadGeoJSON reads a GeoJSON FeatureCollection of Polygon and MultiPolygon
// features in WGS84 longitude/latitude (RFC 7946), such as the PDOK OGC API
// returns, and returns them as a Source with SRID 4326, sorted by code; a
// Polygon becomes a MultiPolygon of one.
//
// Every feature is checked; the error names the feature index and code of
// each bad feature and what is wrong with it: a missing code, a code of
// another level, a duplicate code, a gemeente code that does not match the
// code, a missing or non-polygonal geometry, or coordinates outside WGS84
// (a file in RD New, EPSG:28992, has to be reprojected first).
func ReadGeoJSON(r io.Reader, opt GeoJSONOptions) (Source, error) {
	if err := opt.check(); err != nil {
		return Source{}, fmt.Errorf("boundaries: %w", err)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return Source{}, fmt.Errorf("boundaries: reading GeoJSON: %w", err)
	}
	raw, err := splitFeatures(data)
	if err != nil {
		return Source{}, fmt.Errorf("boundaries: %w", err)
	}
	areas := make([]Feature, 0, len(raw))
	seen := make(map[string][]int, len(raw))
	var errs []error
	for i, doc := range raw {
		a, err := readFeature(doc, opt)
		if err != nil {
			errs = append(errs, fmt.Errorf("feature %d%s: %w", i, codeLabel(a.Code), err))
			continue
		}
		if prev := seen[a.Code]; len(prev) > 0 {
			errs = append(errs, fmt.Errorf("feature %d (%s): duplicate code, also feature %s", i, a.Code, joinInts(prev)))
		}
		seen[a.Code] = append(seen[a.Code], i)
		areas = append(areas, a)
	}
	if len(errs) > 0 {
		return Source{}, fmt.Errorf("boundaries: %d bad feature(s): %w", len(errs), errors.Join(errs...))
	}
	slices.SortFunc(areas, func(a, b Feature) int { return strings.Compare(a.Code, b.Code) })
	return Source{Level: opt.Level, SRID: WGS84, Features: areas}, nil
}

// WGS84 is the EPSG code of longitude/latitude on WGS84, the coordinates
// of GeoJSON.
const WGS84 = 4326

// Areas returns the source's features as areas of year for the embedded
// store: with their feature id, WGS84 bounds and geometry projected to
// world coordinates. Only WGS84 sources can be projected here; others are
// reprojected by PostGIS on import.
func (s Source) Areas(year int) ([]store.Area, error) {
	if s.SRID != WGS84 {
		return nil, fmt.Errorf("boundaries: %s source in EPSG:%d: only EPSG:%d can be projected without PostGIS", s.Level, s.SRID, WGS84)
	}
	areas := make([]store.Area, len(s.Features))
	for i, f := range s.Features {
		id, err := catalog.FeatureID(f.Code)
		if err != nil {
			return nil, fmt.Errorf("boundaries: %w", err)
		}
		areas[i] = store.Area{
			Level: f.Level, Year: year, Code: f.Code, Name: f.Name,
			GemeenteCode: f.GemeenteCode, GemeenteName: f.GemeenteName,
			ID: id, LonLatBound: f.Geometry.Bound(),
			Geometry: geo.ProjectMultiPolygon(f.Geometry, geo.LonLatToWorld),
		}
	}
	return areas, nil
}

func joinInts(is []int) string {
	s := make([]string, len(is))
	for i, v := range is {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, ", ")
}

// splitFeatures checks that data is a FeatureCollection and returns its
// features unparsed, so that an error in one can name its index.
func splitFeatures(data []byte) ([]json.RawMessage, error) {
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		return nil, fmt.Errorf("not a GeoJSON FeatureCollection: %w", err)
	}
	if fc.Type != "FeatureCollection" {
		return nil, fmt.Errorf("not a GeoJSON FeatureCollection: type is %q", fc.Type)
	}
	return fc.Features, nil
}

func codeLabel(code string) string {
	if code == "" {
		return ""
	}
	return " (" + code + ")"
}

// readFeature reads one feature. On error the returned feature carries the
// code, if one could be read, for the error message.
func readFeature(doc json.RawMessage, opt GeoJSONOptions) (Feature, error) {
	var a Feature
	f, err := geojson.UnmarshalFeature(doc)
	if err != nil {
		// Find the code even when the geometry does not parse.
		var partial struct {
			Properties map[string]any `json:"properties"`
		}
		if json.Unmarshal(doc, &partial) == nil {
			a.Code, _ = partial.Properties[opt.CodeProperty].(string)
		}
		return a, fmt.Errorf("invalid GeoJSON feature: %w", err)
	}
	a.Code, err = stringProperty(f.Properties, opt.CodeProperty, true)
	if err != nil {
		return a, err
	}
	if err := fillNames(&a, f.Properties, opt); err != nil {
		return a, err
	}
	a.Level = opt.Level
	if _, err = catalog.FeatureID(a.Code); err != nil {
		return a, fmt.Errorf("code: %w", err)
	}
	a.Geometry, err = multiPolygon(f.Geometry)
	return a, err
}

// fillNames checks the code's level and fills the name and the gemeente.
func fillNames(a *Feature, props geojson.Properties, opt GeoJSONOptions) error {
	level, err := catalog.LevelOfCode(a.Code)
	if err != nil {
		return err
	}
	if level != opt.Level {
		return fmt.Errorf("code is of level %s, not %s", level, opt.Level)
	}
	if a.Name, err = stringProperty(props, opt.NameProperty, false); err != nil {
		return err
	}
	if opt.Level == catalog.Gemeente {
		a.GemeenteCode, a.GemeenteName = a.Code, a.Name
		return nil
	}
	derived, err := catalog.GemeenteOf(a.Code)
	if err != nil {
		return err
	}
	given, err := stringProperty(props, opt.GemeenteCodeProperty, false)
	if err != nil {
		return err
	}
	if given != "" && given != derived {
		return fmt.Errorf("gemeente code %q in property %q does not match the code, which lies in %s", given, opt.GemeenteCodeProperty, derived)
	}
	a.GemeenteCode = derived
	if a.GemeenteName, err = stringProperty(props, opt.GemeenteNameProperty, false); err != nil {
		return err
	}
	if opt.Level == catalog.Buurt {
		if a.WijkCode, err = stringProperty(props, opt.WijkCodeProperty, false); err != nil {
			return err
		}
		if a.WijkCode == "" {
			a.WijkCode = "WK" + a.Code[2:8]
		}
	}
	return nil
}

// stringProperty returns the string property name of props. An absent or
// null property is an error only when required; a property of another type
// is always an error.
func stringProperty(props geojson.Properties, name string, required bool) (string, error) {
	if name == "" {
		return "", nil
	}
	v, ok := props[name]
	if !ok || v == nil {
		if required {
			return "", fmt.Errorf("missing code: no property %q", name)
		}
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("property %q is %v (%T), not a string", name, v, v)
	}
	s = strings.TrimSpace(s)
	if s == "" && required {
		return "", fmt.Errorf("missing code: property %q is empty", name)
	}
	return s, nil
}

// multiPolygon returns the feature geometry as a MultiPolygon after checking
// that it is a non-empty polygonal geometry in WGS84.
func multiPolygon(g orb.Geometry) (orb.MultiPolygon, error) {
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case nil:
		return nil, errors.New("missing geometry")
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		mp = g
	default:
		return nil, fmt.Errorf("bad geometry type %s: want Polygon or MultiPolygon", g.GeoJSONType())
	}
	if len(mp) == 0 {
		return nil, errors.New("empty geometry")
	}
	for i, poly := range mp {
		if len(poly) == 0 {
			return nil, fmt.Errorf("polygon %d has no rings", i)
		}
		for j, ring := range poly {
			if len(ring) < 4 {
				return nil, fmt.Errorf("polygon %d ring %d has %d points, a closed ring needs at least 4", i, j, len(ring))
			}
		}
	}
	if b := mp.Bound(); b.Min[0] < -180 || b.Max[0] > 180 || b.Min[1] < -90 || b.Max[1] > 90 {
		return nil, fmt.Errorf("coordinates %v..%v are not WGS84 longitude/latitude (reproject RD New, EPSG:28992, to EPSG:4326 first)", b.Min, b.Max)
	}
	return mp, nil
}

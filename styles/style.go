package styles

import (
	"fmt"
	"slices"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// SourceID is the id of the style's vector source.
const SourceID = "wijkkaart"

// The ids of the style's layers, bottom to top. The map client finds the
// layers by these ids: keep them stable.
const (
	// LayerBackground fills the map behind all areas.
	LayerBackground = "wijkkaart-background"
	// LayerFill fills every area with its class or special colour.
	LayerFill = "wijkkaart-fill"
	// LayerOutline outlines every area, darker and thicker while the
	// feature-state "hover" is true.
	LayerOutline = "wijkkaart-outline"
	// LayerSuppressed outlines suppressed areas with a dashed line, so
	// that they differ from the classes even in greyscale.
	LayerSuppressed = "wijkkaart-suppressed"
	// LayerNoResidents outlines areas without residents of the group with
	// a dotted line.
	LayerNoResidents = "wijkkaart-no-residents"
	// LayerSelected draws a thick outline around areas whose
	// feature-state "selected" is true.
	LayerSelected = "wijkkaart-selected"
)

// The metadata keys of a style.
const (
	MetadataLegend = "wijkkaart:legend"
	MetadataQuery  = "wijkkaart:query"
)

// The outline colours.
const (
	ColorOutline           = "#808080"
	ColorHover             = "#1a1a1a"
	ColorSuppressedOutline = "#252525"
	ColorSelected          = "#000000"
)

// Params is what a style is built from.
type Params struct {
	// Level is the map level, which is also the tiles' source-layer:
	// catalog.Wijk or catalog.Gemeente.
	Level     catalog.Level
	Indicator catalog.Indicator
	Group     catalog.Group
	Year      int
	// Gemeente is the chosen gemeente, or nil for all of Nederland. Only
	// Code, Name and LonLatBound are used. Areas of other gemeenten are
	// drawn as outside.
	Gemeente *store.Area
	// TileJSONURL is the URL of the TileJSON of the tiles.
	TileJSONURL string
	// GlyphsURL is the template of the URLs of the glyph ranges labels
	// are drawn with, such as https://kaart.example.nl/fonts/{fontstack}/{range}.pbf,
	// serving LabelFont. Empty leaves the area names out.
	GlyphsURL string
	// LabelsURL is the URL of the GeoJSON label points of the areas
	// shown: a point per area with its code, name and level, where its
	// name is written. Empty leaves the area names out.
	LabelsURL string
	// Values are the published values the classes are computed over: the
	// areas of the level in the gemeente, or in all of Nederland. Only
	// values with status OK are classified and counted in classes.
	Values []store.Published
	// Nederland is the published Nederland value of the same indicator,
	// group and year, whatever its status. When it has a value it is the
	// reference of the legend, and the centre of a diverging one.
	Nederland store.Published
	// Method is the classification method; empty means DefaultMethod.
	Method Method
	// Classes is the number of classes asked for; 0 means DefaultClasses.
	// Ignored for MethodManual.
	Classes int
	// ManualBreaks are the breaks between classes for MethodManual (see
	// Classify and ParseBreaks).
	ManualBreaks []float64
	// Palette is the id of the palette (see PaletteIDs); empty means the
	// default. It is checked against the indicator: a diverging palette
	// for an evaluative indicator, a sequential one for a neutral one.
	Palette string
	// MinObservations is the disclosure threshold, stated in the legend.
	MinObservations int
	// Target is the renderer the style is for; empty means
	// TargetMapLibre. Both targets share the classes, colours and legend.
	Target Target
	// Compare is the base year of a change map (see Change), 0 for a map
	// of values. A change map classifies Changes; Values still say what
	// the areas' values are.
	Compare int
	// Changes are the changes of the areas classified, for a change map.
	Changes []Change
}

// Style is a MapLibre GL style, spec version 8. It marshals to JSON with a
// stable field order.
type Style struct {
	Version  int      `json:"version"`
	Name     string   `json:"name"`
	Metadata Metadata `json:"metadata"`
	// Center is [longitude, latitude].
	Center [2]float64 `json:"center"`
	Zoom   float64    `json:"zoom"`
	// Glyphs is the URL template of the labels' glyphs; empty without
	// labels.
	Glyphs  string  `json:"glyphs,omitempty"`
	Sources Sources `json:"sources"`
	Layers  []Layer `json:"layers"`
}

// Metadata is the style's metadata: the legend, and the query the style
// answers, so that a client can keep the user's choices.
type Metadata struct {
	Legend Legend `json:"wijkkaart:legend"`
	Query  Query  `json:"wijkkaart:query"`
}

// Query is the query a style answers, with defaults filled in.
type Query struct {
	Level     catalog.Level `json:"level"`
	Indicator string        `json:"indicator"`
	Group     string        `json:"group"`
	Year      int           `json:"year"`
	// Gemeente is the code of the chosen gemeente, empty for Nederland.
	Gemeente string    `json:"gemeente,omitempty"`
	Method   Method    `json:"method"`
	Classes  int       `json:"classes,omitempty"`
	Breaks   []float64 `json:"breaks,omitempty"`
	Palette  string    `json:"palette"`
	// Compare is the base year of a change map, 0 for a map of values.
	Compare int `json:"compare,omitempty"`
	// Target is set for a style written for another renderer than
	// MapLibre (TargetQGIS), and empty for MapLibre.
	Target Target `json:"target,omitempty"`
}

// Sources are the style's sources: the areas' vector tiles and, when the
// style names the areas, their label points.
type Sources struct {
	Wijkkaart VectorSource   `json:"wijkkaart"`
	Labels    *GeoJSONSource `json:"wijkkaart-labels,omitempty"`
}

// LabelSourceID is the id of the label points' source.
const LabelSourceID = "wijkkaart-labels"

// GeoJSONSource is a GeoJSON source loaded from a URL.
type GeoJSONSource struct {
	Type string `json:"type"`
	Data string `json:"data"`
}

// VectorSource is a vector tile source described by a TileJSON, which
// carries the tile URLs, bounds, zooms and attribution.
type VectorSource struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// Layer is a style layer. Paint and Layout values are literals or
// MapLibre expressions ([]any); maps marshal with sorted keys.
type Layer struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	Source      string `json:"source,omitempty"`
	SourceLayer string `json:"source-layer,omitempty"`
	// MinZoom and MaxZoom are the zooms the layer is drawn at; 0 means
	// no limit.
	MinZoom float64        `json:"minzoom,omitempty"`
	MaxZoom float64        `json:"maxzoom,omitempty"`
	Filter  []any          `json:"filter,omitempty"`
	Layout  map[string]any `json:"layout,omitempty"`
	Paint   map[string]any `json:"paint"`
}

// Build builds the style of a choropleth of p.Values. Errors that wrap
// ErrInvalid are caused by the request (method, classes, breaks, palette,
// level); the others by the caller.
func Build(p Params) (Style, error) {
	p, err := p.normalized()
	if err != nil {
		return Style{}, err
	}
	c, legend, err := classified(p)
	if err != nil {
		return Style{}, fmt.Errorf("styles: %w", err)
	}
	center, zoom, err := viewOf(p.Gemeente)
	if err != nil {
		return Style{}, fmt.Errorf("styles: %w", err)
	}
	return Style{
		Version:  8,
		Name:     styleName(p),
		Metadata: Metadata{Legend: legend, Query: queryOf(p)},
		Center:   center,
		Zoom:     zoom,
		Glyphs:   glyphsOf(p),
		Sources:  sourcesOf(p),
		Layers:   layersFor(p, c),
	}, nil
}

// classified returns the classification of p and its legend: of the
// values, or of the changes for a change map.
func classified(p Params) (choropleth, Legend, error) {
	if p.Compare != 0 {
		c, err := newChangeChoropleth(p)
		if err != nil {
			return c, Legend{}, err
		}
		return c, newChangeLegend(p, c), nil
	}
	c, err := newChoropleth(p)
	if err != nil {
		return c, Legend{}, err
	}
	return c, newLegend(p, c, legendClasses(p, c)), nil
}

// paletteKind is the kind of palette p takes: diverging for a change
// map, whose classes lie on either side of no change, and otherwise the
// indicator's natural kind.
func (p Params) paletteKind() Kind {
	if p.Compare != 0 {
		return KindDiverging
	}
	return naturalKind(p.Indicator)
}

// glyphsOf returns the glyphs URL of a style with labels, and "" for one
// without (see layersFor).
func glyphsOf(p Params) string {
	if !p.labelled() {
		return ""
	}
	return p.GlyphsURL
}

// sourcesOf returns the style's sources: the label points only when it
// has labels.
func sourcesOf(p Params) Sources {
	src := Sources{Wijkkaart: VectorSource{Type: "vector", URL: p.TileJSONURL}}
	if p.labelled() {
		src.Labels = &GeoJSONSource{Type: "geojson", Data: p.LabelsURL}
	}
	return src
}

// labelled reports whether the style names the areas: a MapLibre style
// with glyphs and label points. QGIS draws with its own fonts, and its
// users label layers themselves.
func (p Params) labelled() bool {
	return p.Target != TargetQGIS && p.GlyphsURL != "" && p.LabelsURL != ""
}

func styleName(p Params) string {
	scope := "Nederland"
	if p.Gemeente != nil {
		scope = p.Gemeente.Name
	}
	year := fmt.Sprint(p.Year)
	if p.Compare != 0 {
		year = fmt.Sprintf("verandering %d–%d", p.Compare, p.Year)
	}
	return fmt.Sprintf("wijkkaart – %s – %s – %s – %s", p.Indicator.NameNL, p.Group.NameNL, year, scope)
}

func queryOf(p Params) Query {
	q := Query{
		Level: p.Level, Indicator: p.Indicator.ID, Group: p.Group.ID, Year: p.Year,
		Method: p.Method, Classes: p.Classes, Breaks: p.ManualBreaks, Palette: p.Palette, Compare: p.Compare,
	}
	if p.Gemeente != nil {
		q.Gemeente = p.Gemeente.Code
	}
	if p.Target != TargetMapLibre {
		q.Target = p.Target
	}
	return q
}

// normalized checks p and fills in its defaults.
func (p Params) normalized() (Params, error) {
	if _, err := catalog.ParseLevel(string(p.Level)); err != nil && p.Level != catalog.Auto {
		return p, fmt.Errorf("styles: %w: %w", ErrInvalid, err)
	}
	if p.Method == "" {
		p.Method = DefaultMethod
	}
	target, err := ParseTarget(string(p.Target))
	if err != nil {
		return p, fmt.Errorf("styles: %w", err)
	}
	p.Target = target
	if _, err := ParseMethod(string(p.Method)); err != nil {
		return p, fmt.Errorf("styles: %w", err)
	}
	switch {
	case p.Method == MethodManual:
		p.Classes = 0
	case p.Classes == 0:
		p.Classes = DefaultClasses
	}
	if p.Palette == "" {
		p.Palette = DefaultPalette(p.paletteKind())
	}
	if _, err := findPalette(p.paletteKind(), p.Palette); err != nil {
		return p, fmt.Errorf("styles: %w", err)
	}
	if err := p.checkCompare(); err != nil {
		return p, err
	}
	if p.Compare != 0 {
		p.Method = MethodQuantile
	}
	switch {
	case p.Indicator.ID == "" || p.Group.ID == "":
		return p, fmt.Errorf("styles: indicator and group are required")
	case p.Year <= 0:
		return p, fmt.Errorf("styles: year %d is not a year", p.Year)
	case p.TileJSONURL == "":
		return p, fmt.Errorf("styles: the TileJSON URL is required")
	case p.MinObservations < 1:
		return p, fmt.Errorf("styles: minimum observations must be at least 1, got %d", p.MinObservations)
	case p.Gemeente != nil && p.Gemeente.Code == "":
		return p, fmt.Errorf("styles: the chosen gemeente has no code")
	}
	return p, p.checkValues()
}

// checkCompare checks the parameters of a change map, whose classes are
// always quantiles of the size of the changes.
func (p Params) checkCompare() error {
	switch {
	case p.Compare == 0:
		return nil
	case p.Compare == p.Year:
		return fmt.Errorf("styles: %w: the base year of a change map must differ from its year %d", ErrInvalid, p.Year)
	case p.Method != DefaultMethod && p.Method != MethodQuantile:
		return fmt.Errorf("styles: %w: a change map's classes are quantiles of the size of the changes; method %s does not go with compare", ErrInvalid, p.Method)
	}
	for i, c := range p.Changes {
		switch c.Status {
		case store.OK, store.Suppressed, store.NoData, store.NoResidents, store.NotComparable:
		default:
			return fmt.Errorf("styles: change %d: unknown status %q", i, c.Status)
		}
	}
	return nil
}

// checkValues checks that the values and the reference are of the
// indicator, group and year styled, so that a legend never mixes them up.
func (p Params) checkValues() error {
	for i, v := range p.Values {
		level := p.Level
		if slices.Contains(p.Level.Shows(), v.Level) {
			level = v.Level // auto shows wijken and buurten
		}
		if err := p.checkValue(v, level); err != nil {
			return fmt.Errorf("styles: value %d (%s): %w", i, v.Code, err)
		}
	}
	if err := p.checkValue(p.Nederland, catalog.Nederland); err != nil {
		return fmt.Errorf("styles: Nederland value: %w", err)
	}
	return nil
}

func (p Params) checkValue(v store.Published, level catalog.Level) error {
	switch {
	case v.Level != level:
		return fmt.Errorf("level %q, want %q", v.Level, level)
	case v.Indicator != p.Indicator.ID || v.Group != p.Group.ID || v.Year != p.Year:
		return fmt.Errorf("is of %s/%s/%d, want %s/%s/%d",
			v.Indicator, v.Group, v.Year, p.Indicator.ID, p.Group.ID, p.Year)
	}
	switch v.Status {
	case store.OK, store.Suppressed, store.NoData, store.NoResidents:
	default:
		return fmt.Errorf("unknown status %q", v.Status)
	}
	switch v.Provenance {
	case store.CBS, store.Demo:
		return nil
	default:
		return fmt.Errorf("unknown provenance %q", v.Provenance)
	}
}

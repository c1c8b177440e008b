package styles

import "github.com/wijkkaart/wijkkaart/catalog"

// LayerLabel writes each area's name on the map, at the zooms where names
// of its level fit (see labelZooms).
const LayerLabel = "wijkkaart-label"

// LabelFont is the font labels are drawn in: a fontstack the server's
// glyph route serves (package glyphs).
const LabelFont = "Go Regular"

// The label colours: dark text with a light halo, readable on every class
// colour and on a background map.
const (
	ColorLabel     = "#1a1a1a"
	ColorLabelHalo = "#ffffff"
)

// labelZoom is the zoom from which names of a level are written, and the
// zoom from which they no longer are (0: none). Gemeente names give way to
// wijk names; names are left out below the zoom at which most areas of the
// level are wide enough for them.
type labelZoom struct{ min, max float64 }

func labelZooms(level catalog.Level) labelZoom {
	switch level {
	case catalog.Gemeente:
		return labelZoom{min: 7, max: 11}
	case catalog.Buurt:
		return labelZoom{min: 13}
	default: // wijk, and auto's wijken
		return labelZoom{min: 11}
	}
}

// labelLayer writes the areas' names at their label points, one per area:
// placed on the tiles' polygons, MapLibre would name an area once in every
// tile it crosses. Collision detection drops names that do not fit. The
// auto level mixes wijken and buurten: its buurten are named from buurt
// zooms.
func labelLayer(p Params) Layer {
	z := labelZooms(p.Level)
	l := Layer{ID: LayerLabel, Type: "symbol", Source: LabelSourceID}
	l.MinZoom, l.MaxZoom = z.min, z.max
	if p.Level == catalog.Auto {
		l.Filter = []any{"any", []any{"!=", []any{"get", "level"}, string(catalog.Buurt)}, []any{">=", []any{"zoom"}, labelZooms(catalog.Buurt).min}}
	}
	l.Layout = map[string]any{
		"symbol-placement":   "point",
		"text-field":         []any{"get", "name"},
		"text-font":          []string{LabelFont},
		"text-size":          []any{"interpolate", []any{"linear"}, []any{"zoom"}, z.min, 11, z.min + 4, 14},
		"text-max-width":     8,
		"text-padding":       4,
		"text-allow-overlap": false,
	}
	l.Paint = map[string]any{
		"text-color":      ColorLabel,
		"text-halo-color": ColorLabelHalo,
		"text-halo-width": 1.5,
		"text-halo-blur":  0.5,
	}
	return l
}

package styles

import (
	"fmt"
	"math"

	"github.com/wijkkaart/wijkkaart/store"
)

// Target is the renderer a style is written for. Its value is what the
// target= query parameter takes.
type Target string

// The style targets.
const (
	// TargetMapLibre is a style for MapLibre GL: one fill layer coloured
	// by a data-driven step expression, hover and selection by
	// feature-state. It is the default.
	TargetMapLibre Target = "maplibre"
	// TargetQGIS is a style that QGIS's MapLibre style converter (QGIS
	// 3.22 and newer) renders as it is meant: QGIS 3.22 skips data-driven
	// paint expressions, so every class is a layer of its own with a
	// filter on the value range and a constant colour, and so is every
	// special status. Fills are opaque: QGIS users set a layer's opacity
	// themselves.
	TargetQGIS Target = "qgis"
)

// ParseTarget returns the target named s; an empty s means
// TargetMapLibre.
func ParseTarget(s string) (Target, error) {
	switch Target(s) {
	case "", TargetMapLibre:
		return TargetMapLibre, nil
	case TargetQGIS:
		return TargetQGIS, nil
	}
	return "", fmt.Errorf("%w: unknown style target %q (want %s or %s)", ErrInvalid, s, TargetMapLibre, TargetQGIS)
}

// The ids of the layers of a QGIS style that a MapLibre style does not
// have. Class layers are LayerClassPrefix followed by the class number,
// counted from 1 ("wijkkaart-class-1").
const (
	LayerClassPrefix     = "wijkkaart-class-"
	LayerSuppressedFill  = "wijkkaart-suppressed-fill"
	LayerNoDataFill      = "wijkkaart-no-data-fill"
	LayerNoResidentsFill = "wijkkaart-no-residents-fill"
	LayerOutsideFill     = "wijkkaart-outside-fill"
)

// layersFor returns the layers of the style for p's target, with the
// area names on top when it has them (see Params.labelled).
func layersFor(p Params, c choropleth) []Layer {
	if p.Target == TargetQGIS {
		return qgisLayers(p, c)
	}
	out := layers(p, c)
	if p.labelled() {
		out = append(out, labelLayer(p))
	}
	return out
}

// qgisLayers returns the layers of a QGIS style, bottom to top: the
// background, a fill per class, a fill per special status, the outline
// and the dashed and dotted outlines of suppressed areas and areas without
// residents. Every paint property is a constant and every filter compares
// a property with a literal, which is what QGIS 3.22 converts.
func qgisLayers(p Params, c choropleth) []Layer {
	out := []Layer{{ID: LayerBackground, Type: "background", Paint: map[string]any{"background-color": ColorBackground}}}
	for i, f := range classFilters(c.breaks, p.Indicator.Decimals, c.property) {
		out = append(out, qgisFill(p, fmt.Sprintf("%s%d", LayerClassPrefix, i+1), insideOnly(p, f), c.colors[i], 1))
	}
	if p.Compare != 0 {
		out = append(out, qgisFill(p, LayerNotComparableFill, insideOnly(p, statusIs(store.NotComparable)), ColorNotComparable, 1))
	}
	out = append(out,
		qgisFill(p, LayerSuppressedFill, insideOnly(p, statusIs(store.Suppressed)), ColorSuppressed, 1),
		qgisFill(p, LayerNoDataFill, insideOnly(p, statusIs(store.NoData)), ColorNoData, 1),
		qgisFill(p, LayerNoResidentsFill, insideOnly(p, statusIs(store.NoResidents)), ColorNoResidents, 1),
	)
	if p.Gemeente != nil {
		out = append(out, qgisFill(p, LayerOutsideFill, outside(p), ColorOutside, OpacityOutside))
	}
	outline := areaLayer(LayerOutline, "line", p)
	outline.Paint = map[string]any{"line-color": ColorOutline, "line-width": 0.5}
	out = append(out, outline, suppressedLayer(p), noResidentsLayer(p))
	if p.Compare != 0 {
		out = append(out, notComparableLayer(p))
	}
	return out
}

// qgisFill returns a fill layer of one constant colour for the features
// that pass filter.
func qgisFill(p Params, id string, filter []any, color string, opacity float64) Layer {
	l := areaLayer(id, "fill", p)
	l.Filter = filter
	l.Paint = map[string]any{"fill-color": color, "fill-opacity": opacity}
	return l
}

// insideOnly restricts filter to the chosen gemeente, if any.
func insideOnly(p Params, filter []any) []any {
	if p.Gemeente == nil {
		return filter
	}
	inside := []any{"==", []any{"get", "gemeente_code"}, p.Gemeente.Code}
	if len(filter) > 0 && filter[0] == "all" {
		return append(append([]any{}, filter...), inside)
	}
	return []any{"all", filter, inside}
}

// classFilters returns, per class, the filter that selects the features
// whose value lies in it, with the semantics of the MapLibre style's step
// expression: values below the first break fall in the first class,
// values above the last in the last. Tile values are rounded to the
// indicator's decimals, so every bound lies half a unit of the last
// decimal below its break (7.15 for a break at 7.2): a value is compared
// as it is shown, and a binary fraction just below a break cannot slip
// into the class beneath.
func classFilters(b Breaks, decimals int, property string) [][]any {
	k := b.Classes()
	out := make([][]any, k)
	half := math.Pow10(-decimals) / 2
	for i := range out {
		f := []any{"all", statusIs(store.OK)}
		if i > 0 {
			f = append(f, []any{">=", []any{"get", property}, roundTo(b[i]-half, decimals+1)})
		}
		if i < k-1 {
			f = append(f, []any{"<", []any{"get", property}, roundTo(b[i+1]-half, decimals+1)})
		}
		out[i] = f
	}
	return out
}

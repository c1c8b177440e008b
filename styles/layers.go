package styles

import (
	"math"

	"github.com/wijkkaart/wijkkaart/store"
)

// layers returns the style's layers, bottom to top.
func layers(p Params, c choropleth) []Layer {
	out := []Layer{
		{ID: LayerBackground, Type: "background", Paint: map[string]any{"background-color": ColorBackground}},
		fillLayer(p, c),
		outlineLayer(p),
		suppressedLayer(p),
		noResidentsLayer(p),
	}
	if p.Compare != 0 {
		out = append(out, notComparableLayer(p))
	}
	return append(out, selectedLayer(p))
}

// notComparableLayer draws a solid dark outline around the areas of a
// change map that are not comparable, so that they differ from areas
// without data even in greyscale.
func notComparableLayer(p Params) Layer {
	l := statusOutlineLayer(p, LayerNotComparable, store.NotComparable, ColorNotComparableOutline, nil)
	delete(l.Paint, "line-dasharray")
	return l
}

// areaLayer returns a layer of the tiles' areas: the source-layer is the
// level.
func areaLayer(id, typ string, p Params) Layer {
	return Layer{ID: id, Type: typ, Source: SourceID, SourceLayer: string(p.Level)}
}

// fillLayer colours areas outside the chosen gemeente, suppressed areas
// and areas without data with their special colours, and the others by
// class.
func fillLayer(p Params, c choropleth) Layer {
	color := []any{"case"}
	opacity := any(OpacityInside)
	if p.Gemeente != nil {
		color = append(color, outside(p), ColorOutside)
		opacity = []any{"case", outside(p), OpacityOutside, OpacityInside}
	}
	if p.Compare != 0 {
		color = append(color, statusIs(store.NotComparable), ColorNotComparable)
	}
	color = append(color,
		statusIs(store.Suppressed), ColorSuppressed,
		statusIs(store.NoData), ColorNoData,
		statusIs(store.NoResidents), ColorNoResidents)
	if c.breaks.Classes() > 0 {
		color = append(color, []any{"has", c.property}, classColor(c, p.Indicator.Decimals))
	}
	color = append(color, ColorNoData) // anything else lacks a value
	l := areaLayer(LayerFill, "fill", p)
	l.Paint = map[string]any{"fill-color": color, "fill-opacity": opacity}
	return l
}

// classColor returns the class colour of a feature's value: a step
// expression over the value rounded to decimals, as Classify rounds it, or
// the one colour when there is one class.
func classColor(c choropleth, decimals int) any {
	if c.breaks.Classes() == 1 {
		return c.colors[0]
	}
	var value any = []any{"round", []any{"get", c.property}}
	if decimals > 0 {
		scale := math.Pow10(decimals)
		value = []any{"/", []any{"round", []any{"*", []any{"get", c.property}, scale}}, scale}
	}
	step := []any{"step", value, c.colors[0]}
	for i, stop := range c.breaks.Stops() {
		step = append(step, stop, c.colors[i+1])
	}
	return step
}

// outlineLayer outlines every area, darker and thicker on hover. The
// boolean assertion defaults to false when no feature-state is set.
func outlineLayer(p Params) Layer {
	hover := []any{"boolean", []any{"feature-state", "hover"}, false}
	l := areaLayer(LayerOutline, "line", p)
	l.Layout = map[string]any{"line-join": "round"}
	l.Paint = map[string]any{
		"line-color": []any{"case", hover, ColorHover, ColorOutline},
		"line-width": []any{"case", hover, 2, 0.5},
	}
	return l
}

// suppressedLayer draws a dashed outline around suppressed areas (inside
// the chosen gemeente), so that "geheim" differs from every class even in
// greyscale.
func suppressedLayer(p Params) Layer {
	return statusOutlineLayer(p, LayerSuppressed, store.Suppressed, ColorSuppressedOutline, []float64{2, 2})
}

// noResidentsLayer draws a dotted outline around areas where nobody of the
// group lives, so that they differ from areas without data.
func noResidentsLayer(p Params) Layer {
	return statusOutlineLayer(p, LayerNoResidents, store.NoResidents, ColorNoResidentsOutline, []float64{0.5, 2})
}

// statusOutlineLayer outlines the areas with a status, inside the chosen
// gemeente, with a dashed line of their own.
func statusOutlineLayer(p Params, id string, status store.Status, color string, dashes []float64) Layer {
	l := areaLayer(id, "line", p)
	l.Filter = statusIs(status)
	if p.Gemeente != nil {
		l.Filter = []any{"all", l.Filter, []any{"==", []any{"get", "gemeente_code"}, p.Gemeente.Code}}
	}
	l.Paint = map[string]any{
		"line-color":     color,
		"line-width":     1.2,
		"line-dasharray": dashes,
	}
	return l
}

// selectedLayer draws a thick outline around areas whose feature-state
// "selected" is true.
func selectedLayer(p Params) Layer {
	selected := []any{"boolean", []any{"feature-state", "selected"}, false}
	l := areaLayer(LayerSelected, "line", p)
	l.Layout = map[string]any{"line-join": "round"}
	l.Paint = map[string]any{
		"line-color":   ColorSelected,
		"line-width":   3,
		"line-opacity": []any{"case", selected, 1, 0},
	}
	return l
}

// outside is true for features outside the chosen gemeente.
func outside(p Params) []any {
	return []any{"!=", []any{"get", "gemeente_code"}, p.Gemeente.Code}
}

func statusIs(s store.Status) []any {
	return []any{"==", []any{"get", "status"}, string(s)}
}

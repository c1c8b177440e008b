package styles

import (
	"fmt"
	"slices"
	"strings"
)

// Kind is the kind of a legend: what its colours mean.
type Kind string

// The kinds of legend.
const (
	// KindSequential colours from light (lower) to dark (higher), without
	// a judgement. Neutral indicators always get it.
	KindSequential Kind = "sequential"
	// KindDiverging colours away from the Nederland value of the same
	// herkomstgroep: one hue for more favourable, another for less.
	KindDiverging Kind = "diverging"
)

// The colours of areas without a class. None of them occurs in any
// palette, and they differ from each other and from the background.
const (
	// ColorSuppressed fills areas whose value is suppressed (too few
	// observations); the style also gives them a dashed outline, so they
	// stand out in greyscale too.
	ColorSuppressed = "#969696"
	// ColorNoData fills areas without a value; the outline layer keeps them
	// visible against the background.
	ColorNoData = "#ffffff"
	// ColorNoResidents fills areas where nobody of the group lives; a
	// dotted outline sets them apart from areas without data.
	ColorNoResidents = "#f4f1ea"
	// ColorNoResidentsOutline is their dotted outline.
	ColorNoResidentsOutline = "#737373"
	// ColorOutside fills areas outside the chosen gemeente; the fill
	// layer draws them semi-transparent (OpacityOutside).
	ColorOutside = "#d9d9d9"
	// ColorBackground is the map background behind all areas.
	ColorBackground = "#e8edf1"
)

// The fill opacities of areas inside and outside the chosen gemeente.
const (
	OpacityInside  = 0.85
	OpacityOutside = 0.45
)

// MaxClassesPerSide is the most classes a diverging legend has on one side
// of the reference: ColorBrewer's 7-class diverging schemes have three
// shades on either side of their neutral middle.
const MaxClassesPerSide = 3

// palette is one ColorBrewer colour scheme in its 3- to 7-class variants,
// light to dark for sequential schemes and, for diverging ones, from the
// unfavourable end (index 0) through a neutral middle to the favourable
// end.
type palette struct {
	id   string
	kind Kind
	// variants[n-3] holds the n colours of the n-class variant.
	variants [5][]string
}

// palettes returns wijkkaart's palettes, the default of each kind first.
// All are ColorBrewer schemes that ColorBrewer marks colour-blind safe.
//
// Colours from ColorBrewer 2.0 (colorbrewer2.org) by Cynthia A. Brewer,
// Mark Harrower and The Pennsylvania State University, licensed under the
// Apache License, Version 2.0.
func palettes() []palette {
	return []palette{
		{id: "YlGnBu", kind: KindSequential, variants: [5][]string{
			{"#edf8b1", "#7fcdbb", "#2c7fb8"},
			{"#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"},
			{"#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"},
			{"#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"},
			{"#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"},
		}},
		{id: "Blues", kind: KindSequential, variants: [5][]string{
			{"#deebf7", "#9ecae1", "#3182bd"},
			{"#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"},
			{"#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"},
			{"#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"},
			{"#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"},
		}},
		{id: "PuBu", kind: KindSequential, variants: [5][]string{
			{"#ece7f2", "#a6bddb", "#2b8cbe"},
			{"#f1eef6", "#bdc9e1", "#74a9cf", "#0570b0"},
			{"#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d"},
			{"#f1eef6", "#d0d1e6", "#a6bddb", "#74a9cf", "#2b8cbe", "#045a8d"},
			{"#f1eef6", "#d0d1e6", "#a6bddb", "#74a9cf", "#3690c0", "#0570b0", "#034e7b"},
		}},
		// Red is unfavourable, blue favourable.
		{id: "RdYlBu", kind: KindDiverging, variants: [5][]string{
			{"#fc8d59", "#ffffbf", "#91bfdb"},
			{"#d7191c", "#fdae61", "#abd9e9", "#2c7bb6"},
			{"#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6"},
			{"#d73027", "#fc8d59", "#fee090", "#e0f3f8", "#91bfdb", "#4575b4"},
			{"#d73027", "#fc8d59", "#fee090", "#ffffbf", "#e0f3f8", "#91bfdb", "#4575b4"},
		}},
		// Orange is unfavourable, purple favourable.
		{id: "PuOr", kind: KindDiverging, variants: [5][]string{
			{"#f1a340", "#f7f7f7", "#998ec3"},
			{"#e66101", "#fdb863", "#b2abd2", "#5e3c99"},
			{"#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99"},
			{"#b35806", "#f1a340", "#fee0b6", "#d8daeb", "#998ec3", "#542788"},
			{"#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788"},
		}},
		// Brown is unfavourable, blue-green favourable.
		{id: "BrBG", kind: KindDiverging, variants: [5][]string{
			{"#d8b365", "#f5f5f5", "#5ab4ac"},
			{"#a6611a", "#dfc27d", "#80cdc1", "#018571"},
			{"#a6611a", "#dfc27d", "#f5f5f5", "#80cdc1", "#018571"},
			{"#8c510a", "#d8b365", "#f6e8c3", "#c7eae5", "#5ab4ac", "#01665e"},
			{"#8c510a", "#d8b365", "#f6e8c3", "#f5f5f5", "#c7eae5", "#5ab4ac", "#01665e"},
		}},
	}
}

// PaletteIDs returns the ids of the palettes of a kind, the default first:
// the values the palette= query parameter takes.
func PaletteIDs(kind Kind) []string {
	var ids []string
	for _, p := range palettes() {
		if p.kind == kind {
			ids = append(ids, p.id)
		}
	}
	return ids
}

// DefaultPalette returns the id of the default palette of a kind.
func DefaultPalette(kind Kind) string { return PaletteIDs(kind)[0] }

// findPalette returns the palette of the kind with the given id; an empty
// id gives the default.
func findPalette(kind Kind, id string) (palette, error) {
	if id == "" {
		id = DefaultPalette(kind)
	}
	for _, p := range palettes() {
		if p.id == id && p.kind == kind {
			return p, nil
		}
	}
	return palette{}, fmt.Errorf("%w: unknown %s palette %q (want one of %s)",
		ErrInvalid, kind, id, strings.Join(PaletteIDs(kind), ", "))
}

// sequential returns n colours, light to dark, for 1 ≤ n ≤ 7. One or two
// classes (too few distinct values for more) take the middle or the ends
// of the 3-class variant.
func (p palette) sequential(n int) []string {
	switch n {
	case 1:
		return []string{p.variants[0][1]}
	case 2:
		return []string{p.variants[0][0], p.variants[0][2]}
	default:
		return slices.Clone(p.variants[n-3])
	}
}

// side returns the colours of s classes (1 ≤ s ≤ MaxClassesPerSide) on one
// side of the reference of a diverging palette, ordered from the reference
// outward, so that the intensity grows away from it. They are one half of
// the (2s+1)-class variant, without its neutral middle.
func (p palette) side(s int, favourable bool) []string {
	v := p.variants[2*s+1-3]
	if favourable {
		return slices.Clone(v[s+1:])
	}
	out := slices.Clone(v[:s])
	slices.Reverse(out)
	return out
}

package styles

import (
	"fmt"
	"math"
	"slices"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// Attribution is the source line every legend carries.
const Attribution = "Bron: CBS / Kadaster"

// The statuses of the special legend entries: areas without a class.
const (
	SpecialSuppressed  = string(store.Suppressed)
	SpecialNoData      = string(store.NoData)
	SpecialNoResidents = string(store.NoResidents)
	SpecialOutside     = "outside"
)

// Which side of the reference a class of a diverging legend lies on.
const (
	SideFavourable   = "favourable"
	SideUnfavourable = "unfavourable"
)

// Legend explains the colours of a style. It is JSON-serialisable with a
// stable field order, and travels in the style's metadata under
// "wijkkaart:legend".
type Legend struct {
	// TitleNL and TitleEN are the title of a change map's legend,
	// "Verandering 2022–2024 (procentpunt)"; empty for a map of values.
	TitleNL   string          `json:"title_nl,omitempty"`
	TitleEN   string          `json:"title_en,omitempty"`
	Indicator LegendIndicator `json:"indicator"`
	Group     LegendGroup     `json:"group"`
	Year      int             `json:"year"`
	// Compare is the base year of a change map, 0 for a map of values.
	Compare int           `json:"compare,omitempty"`
	Level   catalog.Level `json:"level"`
	Scope   Scope         `json:"scope"`
	// Method is the classification method used.
	Method Method `json:"method"`
	Kind   Kind   `json:"kind"`
	// Palette is the id of the palette used.
	Palette string `json:"palette"`
	// Ends says what the low and the high end of the scale mean.
	Ends Ends `json:"ends"`
	// Classes run from low to high values; empty when no area has a
	// published value.
	Classes []Class `json:"classes"`
	// Reference is the Nederland value of the same herkomstgroep, or nil
	// when it is not published. A diverging legend is centred on it.
	Reference *Reference `json:"reference"`
	// Specials are the areas without a class: suppressed and no data,
	// and, when a gemeente is chosen, the areas outside it.
	Specials   []Special  `json:"specials"`
	Provenance Provenance `json:"provenance"`
	// Notes are remarks a user must see with the map.
	Notes       []Note `json:"notes"`
	Attribution string `json:"attribution"`
}

// LegendIndicator describes the indicator of a legend.
type LegendIndicator struct {
	ID     string       `json:"id"`
	NameNL string       `json:"name_nl"`
	NameEN string       `json:"name_en"`
	Unit   catalog.Unit `json:"unit"`
	// UnitNL and UnitEN are what labels write after a number: "%",
	// " per 1.000" and " per 1,000", " jaar" and " years", or nothing.
	UnitNL   string           `json:"unit_nl"`
	UnitEN   string           `json:"unit_en"`
	Decimals int              `json:"decimals"`
	Polarity catalog.Polarity `json:"polarity"`
	// PolarityNL and PolarityEN explain why the indicator is judged the
	// way it is, or why it is not judged.
	PolarityNL string `json:"polarity_nl"`
	PolarityEN string `json:"polarity_en"`
}

// LegendGroup describes the herkomstgroep of a legend.
type LegendGroup struct {
	ID     string `json:"id"`
	NameNL string `json:"name_nl"`
	NameEN string `json:"name_en"`
}

// The scope types of a legend.
const (
	ScopeGemeente  = "gemeente"
	ScopeNederland = "nederland"
)

// Scope is the area whose values were classified: one gemeente (with its
// code and name) or all of Nederland.
type Scope struct {
	Type string `json:"type"`
	Code string `json:"code,omitempty"`
	Name string `json:"name,omitempty"`
}

// Ends are the labels of the low and high end of a legend's scale:
// "lager" / "hoger" for a sequential legend, "ongunstiger dan gemiddeld in
// Nederland" / "gunstiger dan gemiddeld in Nederland" (in the order the
// polarity gives) for a diverging one.
type Ends struct {
	LowNL  string `json:"low_nl"`
	LowEN  string `json:"low_en"`
	HighNL string `json:"high_nl"`
	HighEN string `json:"high_en"`
}

// Class is one class of a legend. It holds the values v with Min ≤ v < Max,
// and for the last class Min ≤ v ≤ Max, after rounding v to the indicator's
// decimals (see Breaks). The labels show the values that can occur in it:
// "3,5 – 7,1%" when the next class starts at 7,2.
type Class struct {
	Min     float64 `json:"min"`
	Max     float64 `json:"max"`
	Color   string  `json:"color"`
	LabelNL string  `json:"label_nl"`
	LabelEN string  `json:"label_en"`
	// Count is the number of areas in the class.
	Count int `json:"count"`
	// Side is SideFavourable or SideUnfavourable in a diverging legend,
	// empty in a sequential one.
	Side string `json:"side,omitempty"`
}

// Reference is the Nederland value of the same herkomstgroep.
type Reference struct {
	// Value is rounded to the indicator's decimals.
	Value        float64 `json:"value"`
	ValueLabelNL string  `json:"value_label_nl"`
	ValueLabelEN string  `json:"value_label_en"`
	LabelNL      string  `json:"label_nl"`
	LabelEN      string  `json:"label_en"`
}

// Special is a legend entry for areas without a class.
type Special struct {
	// Status is SpecialSuppressed, SpecialNoData, SpecialNoResidents or
	// SpecialOutside.
	Status string `json:"status"`
	Color  string `json:"color"`
	// Outline is the colour of the area's outline; Dashed says it is
	// dashed, as it is for suppressed areas, Dotted that it is dotted, as
	// it is for areas without residents of the group.
	Outline string `json:"outline"`
	Dashed  bool   `json:"dashed"`
	Dotted  bool   `json:"dotted"`
	LabelNL string `json:"label_nl"`
	LabelEN string `json:"label_en"`
	// Count is the number of areas with the status, or nil when unknown
	// (areas outside the gemeente are not among the values).
	Count *int `json:"count"`
}

// Provenance says where the values come from.
type Provenance struct {
	// Sources are the provenances among the values and the reference,
	// sorted.
	Sources []store.Provenance `json:"sources"`
	// NoteNL and NoteEN warn that the figures are demo figures, when
	// any are; empty otherwise.
	NoteNL string `json:"note_nl,omitempty"`
	NoteEN string `json:"note_en,omitempty"`
}

// Note is a remark, in Dutch and English.
type Note struct {
	NL string `json:"nl"`
	EN string `json:"en"`
}

// newLegend builds the legend of a choropleth with its classes. p has
// been validated.
func newLegend(p Params, c choropleth, classes []Class) Legend {
	ind := p.Indicator
	unitNL, unitEN := unitSuffix(ind.Unit)
	return Legend{
		Indicator: LegendIndicator{
			ID: ind.ID, NameNL: ind.NameNL, NameEN: ind.NameEN,
			Unit: ind.Unit, UnitNL: unitNL, UnitEN: unitEN, Decimals: ind.Decimals,
			Polarity: ind.Polarity, PolarityNL: ind.PolarityNL, PolarityEN: ind.PolarityEN,
		},
		Group:       LegendGroup{ID: p.Group.ID, NameNL: p.Group.NameNL, NameEN: p.Group.NameEN},
		Year:        p.Year,
		Level:       p.Level,
		Scope:       scopeOf(p.Gemeente),
		Method:      p.Method,
		Kind:        c.kind,
		Palette:     c.palette.id,
		Ends:        endsOf(c.kind, ind.Polarity),
		Classes:     classes,
		Reference:   referenceOf(c.reference, ind),
		Specials:    specials(p),
		Provenance:  provenanceOf(p.Values, p.Nederland),
		Notes:       notes(c),
		Attribution: Attribution,
	}
}

func scopeOf(g *store.Area) Scope {
	if g == nil {
		return Scope{Type: ScopeNederland}
	}
	return Scope{Type: ScopeGemeente, Code: g.Code, Name: g.Name}
}

func endsOf(kind Kind, pol catalog.Polarity) Ends {
	if kind == KindSequential {
		return Ends{LowNL: "lager", LowEN: "lower", HighNL: "hoger", HighEN: "higher"}
	}
	const (
		worseNL  = "ongunstiger dan gemiddeld in Nederland"
		worseEN  = "less favourable than the Dutch average"
		betterNL = "gunstiger dan gemiddeld in Nederland"
		betterEN = "more favourable than the Dutch average"
	)
	if pol == catalog.LowerIsFavourable {
		return Ends{LowNL: betterNL, LowEN: betterEN, HighNL: worseNL, HighEN: worseEN}
	}
	return Ends{LowNL: worseNL, LowEN: worseEN, HighNL: betterNL, HighEN: betterEN}
}

// legendClasses returns the classes with their labels and the number of
// published values in each.
func legendClasses(p Params, c choropleth) []Class {
	k := c.breaks.Classes()
	d := p.Indicator.Decimals
	counts := make([]int, k)
	for _, v := range p.Values {
		if x, ok := v.Value(); ok {
			counts[c.breaks.Class(roundTo(x, d))]++
		}
	}
	out := make([]Class, k)
	for i := range out {
		lo, hi := c.breaks[i], c.breaks[i+1]
		nl, en := rangeLabels(lo, shownMax(c.breaks, i, d), d, p.Indicator.Unit)
		out[i] = Class{Min: lo, Max: hi, Color: c.colors[i], LabelNL: nl, LabelEN: en, Count: counts[i]}
		if c.sides != nil {
			out[i].Side = c.sides[i]
		}
	}
	return out
}

// shownMax returns the largest value shown with d decimals in class i of
// b: its upper bound for the last class, and the largest value below the
// next class for the others.
func shownMax(b Breaks, i, d int) float64 {
	hi := b[i+1]
	if i < b.Classes()-1 {
		scale := math.Pow10(d)
		return (math.Round(hi*scale) - 1) / scale
	}
	return hi
}

func referenceOf(ref *float64, ind catalog.Indicator) *Reference {
	if ref == nil {
		return nil
	}
	nl, en := valueLabels(*ref, ind.Decimals, ind.Unit)
	return &Reference{
		Value: *ref, ValueLabelNL: nl, ValueLabelEN: en,
		LabelNL: "Nederland, zelfde herkomstgroep",
		LabelEN: "Netherlands, same migration background group",
	}
}

// specials returns the legend entries of suppressed areas, areas without
// data and, when a gemeente is chosen, areas outside it. Suppressed and no
// data are always listed, so users learn the rule even when no area is
// suppressed.
func specials(p Params) []Special {
	counts := make(map[store.Status]int)
	for _, v := range p.Values {
		counts[v.Status]++
	}
	return specialsCounted(p, counts)
}

// specialsCounted returns the special entries with the given number of
// areas per status.
func specialsCounted(p Params, counts map[store.Status]int) []Special {
	suppressed, noData, noResidents := counts[store.Suppressed], counts[store.NoData], counts[store.NoResidents]
	out := []Special{
		{
			Status: SpecialSuppressed, Color: ColorSuppressed, Outline: ColorSuppressedOutline, Dashed: true,
			LabelNL: fmt.Sprintf("Geheim: minder dan %d waarnemingen", p.MinObservations),
			LabelEN: fmt.Sprintf("Suppressed: fewer than %d observations", p.MinObservations),
			Count:   &suppressed,
		},
		{
			Status: SpecialNoData, Color: ColorNoData, Outline: ColorOutline,
			LabelNL: "Geen gegevens", LabelEN: "No data", Count: &noData,
		},
		{
			Status: SpecialNoResidents, Color: ColorNoResidents, Outline: ColorNoResidentsOutline, Dotted: true,
			LabelNL: "Geen inwoners in deze groep", LabelEN: "No residents in this group", Count: &noResidents,
		},
	}
	if g := p.Gemeente; g != nil {
		out = append(out, Special{
			Status: SpecialOutside, Color: ColorOutside, Outline: ColorOutline,
			LabelNL: "Buiten gemeente " + g.Name, LabelEN: "Outside the municipality of " + g.Name,
		})
	}
	return out
}

func provenanceOf(values []store.Published, nederland store.Published) Provenance {
	var sources []store.Provenance
	for _, v := range append(slices.Clip(values), nederland) {
		if !slices.Contains(sources, v.Provenance) {
			sources = append(sources, v.Provenance)
		}
	}
	slices.Sort(sources)
	out := Provenance{Sources: sources}
	if slices.Contains(sources, store.Demo) {
		out.NoteNL = "Let op: dit zijn demonstratiecijfers, geen echte cijfers van het CBS."
		out.NoteEN = "Note: these are demo figures, not real CBS data."
	}
	return out
}

func notes(c choropleth) []Note {
	out := []Note{}
	if c.fallback {
		out = append(out, Note{
			NL: "Voor deze herkomstgroep is geen landelijk gemiddelde gepubliceerd. " +
				"De kleuren tonen daarom alleen lager of hoger, zonder oordeel gunstig of ongunstig.",
			EN: "No national average has been published for this migration background group, " +
				"so the colours show only lower or higher, without judging favourable or unfavourable.",
		})
	}
	return out
}

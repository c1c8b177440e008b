package styles

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// Change maps. With Params.Compare set, a style colours the change of
// each area's published value since the base year Compare: the tile
// property ChangeProperty, value − base value in the indicator's unit
// (percentage points for a percentage). Its classes are symmetric around
// 0: a middle class of about no change, and on either side classes whose
// breaks are quantiles of the size of the changes (|change|) over the
// areas classified, mirrored. The palette is diverging and oriented by the
// indicator's polarity, so that an improvement is always on the
// favourable side: a drop in a lower-is-favourable indicator is
// favourable. Areas whose extent changed between the two boundary years
// have status store.NotComparable and a fill of their own.

// ChangeProperty is the tile feature property a change map is coloured by.
const ChangeProperty = "change"

// SpecialNotComparable is the legend entry of areas that are not the same
// extent in the two years of a change map.
const SpecialNotComparable = string(store.NotComparable)

// ColorNotComparable fills areas whose boundaries changed between the two
// years of a change map; a solid dark outline (ColorNotComparableOutline)
// sets them apart from areas without data and suppressed ones.
const (
	ColorNotComparable        = "#cfcfe0"
	ColorNotComparableOutline = "#525252"
)

// The ids of the layers of a change map that a map of values does not
// have.
const (
	// LayerNotComparable outlines areas that are not comparable.
	LayerNotComparable = "wijkkaart-not-comparable"
	// LayerNotComparableFill fills them in a QGIS style.
	LayerNotComparableFill = "wijkkaart-not-comparable-fill"
)

// Change is the change of one area's published value in a change map.
type Change struct {
	// Status is store.OK when Amount holds the change, store.NotComparable
	// when the area is not the same extent in both years, and otherwise
	// the status of whichever of the two values is not published.
	Status store.Status
	// Amount is value − base value, rounded to the indicator's decimals.
	Amount float64
}

// changeClassesPerSide is how many classes a change map has on each side
// of its middle class, from the number of classes asked for: 5 gives two.
func changeClassesPerSide(classes int) int {
	return max(1, min(MaxClassesPerSide, classes/2))
}

// newChangeChoropleth classifies the changes of p: symmetric breaks from
// quantiles of |change|, with colours by polarity.
func newChangeChoropleth(p Params) (choropleth, error) {
	d := p.Indicator.Decimals
	var sizes []float64
	for _, c := range p.Changes {
		if c.Status == store.OK {
			if math.IsNaN(c.Amount) || math.IsInf(c.Amount, 0) {
				return choropleth{}, fmt.Errorf("styles: a change is not a finite number")
			}
			sizes = append(sizes, math.Abs(roundTo(c.Amount, d)))
		}
	}
	pal, err := findPalette(KindDiverging, p.Palette)
	if err != nil {
		return choropleth{}, err
	}
	c := choropleth{kind: KindDiverging, palette: pal, property: ChangeProperty}
	c.breaks = symmetricBreaks(sizes, changeClassesPerSide(p.Classes), d)
	c.colorChangeClasses(p.Indicator.Polarity)
	return c, nil
}

// symmetricBreaks returns breaks symmetric around 0 for changes of the
// given sizes (|change|, rounded): -max, -t_n … -t_1, t_1 … t_n, max,
// where t_i are the distinct positive quantiles i/(n+1) of the sizes
// below max. No sizes give no breaks; sizes all 0 give one class [0, 0].
func symmetricBreaks(sizes []float64, n, decimals int) Breaks {
	if len(sizes) == 0 {
		return nil
	}
	sorted := slices.Clone(sizes)
	slices.Sort(sorted)
	top := sorted[len(sorted)-1]
	if top == 0 {
		return Breaks{0, 0}
	}
	var thresholds []float64
	for i := 1; i <= n; i++ {
		t := roundTo(sorted[int(float64(i)*float64(len(sorted)-1)/float64(n+1)+0.5)], decimals)
		if t > 0 && t < top && (len(thresholds) == 0 || t > thresholds[len(thresholds)-1]) {
			thresholds = append(thresholds, t)
		}
	}
	out := Breaks{-top}
	for i := len(thresholds) - 1; i >= 0; i-- {
		out = append(out, -thresholds[i])
	}
	out = append(out, thresholds...)
	return append(out, top)
}

// colorChangeClasses colours the classes of a change map: the middle
// class neutral, the others darker away from it, on the favourable side
// of the palette where the change is an improvement. A neutral indicator
// uses the same colours without judging: sides stay empty.
func (c *choropleth) colorChangeClasses(pol catalog.Polarity) {
	k := c.breaks.Classes()
	if k == 0 {
		c.colors = []string{}
		return
	}
	perSide := k / 2
	if perSide == 0 {
		c.colors = []string{c.palette.variants[0][1]}
		c.sides = []string{""}
		return
	}
	colors := slices.Clone(c.palette.variants[2*perSide+1-3]) // unfavourable → favourable
	increaseFavourable := pol != catalog.LowerIsFavourable
	if !increaseFavourable {
		slices.Reverse(colors)
	}
	c.colors = colors
	c.sides = make([]string, k)
	if pol == catalog.Neutral {
		return
	}
	for i := range perSide {
		c.sides[i] = sideName(!increaseFavourable)
		c.sides[k-1-i] = sideName(increaseFavourable)
	}
}

// changeUnitSuffix returns what follows a change of the unit, in Dutch
// and in English: a change of a percentage is in percentage points.
func changeUnitSuffix(u catalog.Unit) (nl, en string) {
	switch u {
	case catalog.UnitPercentage:
		return " procentpunt", " percentage points"
	case catalog.UnitPer1000:
		return " per 1.000", " per 1,000"
	case catalog.UnitYears:
		return " jaar", " years"
	}
	return "", ""
}

// changeUnitName returns the unit of a change as a legend title writes
// it: "procentpunt", or nothing for a unitless number.
func changeUnitName(u catalog.Unit) (nl, en string) {
	nl, en = changeUnitSuffix(u)
	return strings.TrimSpace(nl), strings.TrimSpace(en)
}

// signed writes a change with its sign: "+1,2" and "-0,4"; 0 has none.
func signed(format func(float64, int) string, v float64, decimals int) string {
	if roundTo(v, decimals) > 0 {
		return "+" + format(v, decimals)
	}
	return format(v, decimals)
}

// changeTitle returns the title of a change map's legend: "Verandering
// 2022–2024 (procentpunt)".
func changeTitle(p Params) (nl, en string) {
	nl = fmt.Sprintf("Verandering %d–%d", p.Compare, p.Year)
	en = fmt.Sprintf("Change %d–%d", p.Compare, p.Year)
	if unitNL, unitEN := changeUnitName(p.Indicator.Unit); unitNL != "" {
		nl += " (" + unitNL + ")"
		en += " (" + unitEN + ")"
	}
	return nl, en
}

// changeClasses returns the classes of a change map with their labels and
// the number of areas in each.
func changeClasses(p Params, c choropleth) []Class {
	k := c.breaks.Classes()
	d := p.Indicator.Decimals
	counts := make([]int, k)
	for _, ch := range p.Changes {
		if ch.Status == store.OK {
			counts[c.breaks.Class(roundTo(ch.Amount, d))]++
		}
	}
	unitNL, unitEN := changeUnitSuffix(p.Indicator.Unit)
	out := make([]Class, k)
	for i := range out {
		lo, hi := c.breaks[i], shownMax(c.breaks, i, d)
		nl := signed(formatNL, lo, d) + " – " + signed(formatNL, hi, d) + unitNL
		en := signed(formatEN, lo, d) + " – " + signed(formatEN, hi, d) + unitEN
		out[i] = Class{Min: lo, Max: c.breaks[i+1], Color: c.colors[i], LabelNL: nl, LabelEN: en, Count: counts[i], Side: c.sides[i]}
	}
	return out
}

// changeEnds says what the ends of a change map's scale mean.
func changeEnds(pol catalog.Polarity) Ends {
	switch pol {
	case catalog.HigherIsFavourable:
		return Ends{LowNL: "gedaald (ongunstig)", LowEN: "decreased (unfavourable)", HighNL: "gestegen (gunstig)", HighEN: "increased (favourable)"}
	case catalog.LowerIsFavourable:
		return Ends{LowNL: "gedaald (gunstig)", LowEN: "decreased (favourable)", HighNL: "gestegen (ongunstig)", HighEN: "increased (unfavourable)"}
	}
	return Ends{LowNL: "gedaald", LowEN: "decreased", HighNL: "gestegen", HighEN: "increased"}
}

// newChangeLegend builds the legend of a change map. p has been
// validated.
func newChangeLegend(p Params, c choropleth) Legend {
	l := newLegend(p, c, changeClasses(p, c))
	l.Compare = p.Compare
	l.TitleNL, l.TitleEN = changeTitle(p)
	l.Ends = changeEnds(p.Indicator.Polarity)
	l.Reference = nil
	counts := make(map[store.Status]int)
	for _, ch := range p.Changes {
		counts[ch.Status]++
	}
	notComparable := counts[store.NotComparable]
	l.Specials = append([]Special{{
		Status: SpecialNotComparable, Color: ColorNotComparable, Outline: ColorNotComparableOutline,
		LabelNL: "Niet vergelijkbaar: grenzen gewijzigd", LabelEN: "Not comparable: boundaries changed",
		Count: &notComparable,
	}}, specialsCounted(p, counts)...)
	l.Notes = append(l.Notes, Note{
		NL: fmt.Sprintf("Verandering tussen de gepubliceerde waarden van %d en %d; waar een van beide geheim is, is er geen verandering.", p.Compare, p.Year),
		EN: fmt.Sprintf("Change between the published values of %d and %d; where either is suppressed, there is no change.", p.Compare, p.Year),
	})
	return l
}

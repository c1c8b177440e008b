package styles

import (
	"github.com/wijkkaart/wijkkaart/catalog"
)

// choropleth is the classification of a style: its breaks and the colour
// of each class.
type choropleth struct {
	kind    Kind
	palette palette
	breaks  Breaks
	colors  []string
	// sides holds SideFavourable or SideUnfavourable per class of a
	// diverging choropleth; nil for a sequential one.
	sides []string
	// reference is the Nederland value rounded to the indicator's
	// decimals, nil when it is not published.
	reference *float64
	// property is the tile feature property classified: "value", or
	// ChangeProperty for a change map.
	property string
	// fallback is set when an evaluative indicator gets a sequential
	// legend because the Nederland value is not published.
	fallback bool
}

// naturalKind is the kind of legend an indicator gets when its reference
// is published.
func naturalKind(ind catalog.Indicator) Kind {
	if ind.Evaluative() {
		return KindDiverging
	}
	return KindSequential
}

// newChoropleth classifies the published values of p, which has been
// validated. Suppressed values and values without data have no value and
// take no part.
func newChoropleth(p Params) (choropleth, error) {
	var values []float64
	for _, v := range p.Values {
		if x, ok := v.Value(); ok {
			values = append(values, x)
		}
	}
	c := choropleth{property: "value"}
	d := p.Indicator.Decimals
	if ref, ok := p.Nederland.Value(); ok {
		r := roundTo(ref, d)
		c.reference = &r
	}
	c.kind = naturalKind(p.Indicator)
	paletteID := p.Palette
	if c.kind == KindDiverging && c.reference == nil {
		c.kind, c.fallback, paletteID = KindSequential, true, DefaultPalette(KindSequential)
	}
	var err error
	if c.palette, err = findPalette(c.kind, paletteID); err != nil {
		return c, err
	}
	if c.kind == KindDiverging {
		c.breaks, err = classifyAround(values, p.Method, p.Classes, d, p.ManualBreaks, *c.reference)
	} else {
		c.breaks, err = Classify(values, p.Method, p.Classes, d, p.ManualBreaks)
	}
	if err != nil {
		return c, err
	}
	c.colorClasses(p.Indicator.Polarity)
	return c, nil
}

// colorClasses gives every class its colour: light to dark for a
// sequential choropleth; for a diverging one, the favourable half of the
// palette for classes on the favourable side of the reference and the
// unfavourable half for the others, darker away from the reference.
func (c *choropleth) colorClasses(pol catalog.Polarity) {
	k := c.breaks.Classes()
	if k == 0 {
		c.colors = []string{}
		return
	}
	if c.kind == KindSequential {
		c.colors = c.palette.sequential(k)
		return
	}
	below := classesBelow(c.breaks, *c.reference)
	above := k - below
	belowFavourable := pol == catalog.LowerIsFavourable
	c.colors = make([]string, 0, k)
	c.sides = make([]string, 0, k)
	if below > 0 {
		// Ordered from the reference outward; classes run the other way.
		ramp := c.palette.side(below, belowFavourable)
		for i := below - 1; i >= 0; i-- {
			c.colors = append(c.colors, ramp[i])
			c.sides = append(c.sides, sideName(belowFavourable))
		}
	}
	if above > 0 {
		ramp := c.palette.side(above, !belowFavourable)
		for i := range above {
			c.colors = append(c.colors, ramp[i])
			c.sides = append(c.sides, sideName(!belowFavourable))
		}
	}
}

func sideName(favourable bool) string {
	if favourable {
		return SideFavourable
	}
	return SideUnfavourable
}

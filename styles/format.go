package styles

import (
	"strconv"
	"strings"

	"github.com/wijkkaart/wijkkaart/catalog"
)

// numberFormat is how a language writes numbers.
type numberFormat struct {
	decimal, thousands string
}

// format writes v with exactly decimals decimals.
func (f numberFormat) format(v float64, decimals int) string {
	// Rounding first keeps tiny negative numbers from showing as -0,0.
	s := strconv.FormatFloat(roundTo(v, decimals), 'f', decimals, 64)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(f.thousands)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(f.decimal)
		b.WriteString(frac)
	}
	return b.String()
}

// formatNL writes v the Dutch way: 12.345,6.
func formatNL(v float64, decimals int) string {
	return numberFormat{decimal: ",", thousands: "."}.format(v, decimals)
}

// formatEN writes v the English way: 12,345.6.
func formatEN(v float64, decimals int) string {
	return numberFormat{decimal: ".", thousands: ","}.format(v, decimals)
}

// unitSuffix returns what follows a number of the unit, in Dutch and in
// English: "%" for percentages, " per 1.000" for rates per thousand.
func unitSuffix(u catalog.Unit) (nl, en string) {
	switch u {
	case catalog.UnitPercentage:
		return "%", "%"
	case catalog.UnitPer1000:
		return " per 1.000", " per 1,000"
	case catalog.UnitYears:
		return " jaar", " years"
	default: // counts, scores and indices have no unit to show
		return "", ""
	}
}

// rangeLabels returns the Dutch and English labels of the values from lo
// to hi: "3,5 – 7,2%" and "3.5 – 7.2%", or a single number when lo == hi.
func rangeLabels(lo, hi float64, decimals int, u catalog.Unit) (nl, en string) {
	unitNL, unitEN := unitSuffix(u)
	if lo == hi {
		return formatNL(lo, decimals) + unitNL, formatEN(lo, decimals) + unitEN
	}
	nl = formatNL(lo, decimals) + " – " + formatNL(hi, decimals) + unitNL
	en = formatEN(lo, decimals) + " – " + formatEN(hi, decimals) + unitEN
	return nl, en
}

// valueLabels returns the Dutch and English labels of one value.
func valueLabels(v float64, decimals int, u catalog.Unit) (nl, en string) {
	return rangeLabels(v, v, decimals, u)
}

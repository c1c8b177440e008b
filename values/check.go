package values

import (
	"database/sql"
	"fmt"
	"math"
	"strings"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// indicator looks up the indicator field in the catalogue.
func (rd *reader) indicator(rec []string, line int) (*catalog.Indicator, uint16, bool) {
	text := rd.field(rec, colIndicator)
	i, ok := rd.indicators[text]
	if ok {
		return &rd.cat.Indicators[i], i, true
	}
	reason := "unknown indicator; the ids are in the catalogue, catalog/indicators.json"
	switch i, ok := rd.indicators[strings.ToLower(text)]; {
	case text == "":
		reason = "empty; every line needs an indicator id, such as pct_bijstand"
	case ok:
		reason = fmt.Sprintf("unknown indicator; did you mean %s?", rd.cat.Indicators[i].ID)
	}
	rd.fail(line, colIndicator.String(), text, reason)
	return nil, 0, false
}

// group looks up the group field in the catalogue; an empty field is
// totaal. An indicator that is not split by herkomstgroep (ind, when known)
// exists for totaal only.
func (rd *reader) group(rec []string, line int, ind *catalog.Indicator) (uint16, bool) {
	text := rd.field(rec, colGroup)
	id := text
	if id == "" {
		id = catalog.TotaalGroup
	}
	g, ok := rd.groups[id]
	if !ok {
		reason := "unknown herkomstgroep; the ids are in the catalogue, catalog/groups.json"
		if lg, ok := rd.groups[strings.ToLower(id)]; ok {
			reason = fmt.Sprintf("unknown herkomstgroep; did you mean %s?", rd.cat.Groups[lg].ID)
		}
		rd.fail(line, colGroup.String(), text, reason)
		return 0, false
	}
	if ind != nil && !ind.SplitByGroup && id != catalog.TotaalGroup {
		rd.fail(line, colGroup.String(), text, fmt.Sprintf("indicator %s describes an area as a whole and is not split by herkomstgroep; its group must be %s",
			ind.ID, catalog.TotaalGroup))
		return 0, false
	}
	return g, true
}

// numField is a parsed optional numeric field.
type numField struct {
	number
	text  string
	valid bool
}

// null returns the field as a store value.
func (f numField) null() sql.Null[float64] { return sql.Null[float64]{V: f.v, Valid: f.valid} }

// numbers are the numeric fields of a record.
type numbers struct {
	value, numerator, denominator numField
}

// numbers parses the value, numerator and denominator fields; an empty
// field is no data.
func (rd *reader) numbers(rec []string, line int) numbers {
	return numbers{
		value:       rd.number(rec, line, colValue),
		numerator:   rd.number(rec, line, colNumerator),
		denominator: rd.number(rec, line, colDenominator),
	}
}

// number parses the numeric field of column c.
func (rd *reader) number(rec []string, line int, c column) numField {
	text := rd.field(rec, c)
	if text == "" {
		return numField{}
	}
	n, reason := parseNumber(text, rd.decimalComma)
	if reason != "" {
		rd.fail(line, c.String(), text, reason)
		return numField{}
	}
	return numField{number: n, text: text, valid: true}
}

// checkNumbers checks the numbers of a record against each other and
// against the unit of its indicator.
func (rd *reader) checkNumbers(line int, ind catalog.Indicator, n numbers) {
	if n.numerator.valid && n.numerator.v < 0 {
		rd.fail(line, colNumerator.String(), n.numerator.text, "a numerator cannot be negative")
	}
	if n.denominator.valid && n.denominator.v < 0 {
		rd.fail(line, colDenominator.String(), n.denominator.text, "a denominator cannot be negative")
	}
	if n.value.valid {
		if reason := rangeReason(ind.Unit, n.value.v); reason != "" {
			rd.fail(line, colValue.String(), n.value.text, reason)
		}
	}
	scale := ind.Unit.RatioScale()
	num, den := n.numerator, n.denominator
	if scale == 0 || !num.valid || !den.valid || num.v < 0 || den.v < 0 {
		return
	}
	if num.v > den.v {
		rd.fail(line, colNumerator.String(), num.text, fmt.Sprintf("the numerator is larger than the denominator %s", den.text))
		return
	}
	if n.value.valid && den.v > 0 {
		if reason := ratioReason(scale, n.value, num, den); reason != "" {
			rd.fail(line, colValue.String(), n.value.text, reason)
		}
	}
}

// rangeReason says why v cannot be a value of unit, or returns "".
func rangeReason(unit catalog.Unit, v float64) string {
	switch {
	case unit == catalog.UnitPercentage && (v < 0 || v > 100):
		return "a percentage must be between 0 and 100"
	case unit == catalog.UnitPer1000 && (v < 0 || v > 1000):
		return "a figure per 1,000 must be between 0 and 1000"
	case unit == catalog.UnitCount && v < 0:
		return "a count cannot be negative"
	case unit == catalog.UnitCount && v != math.Trunc(v):
		return "a count must be a whole number; write counts without thousands separators"
	}
	return ""
}

// ratioBaseTolerance is how far a ratio value may be from scale × numerator
// / denominator, on top of the rounding of the value's last decimal.
const ratioBaseTolerance = 0.05

// ratioReason says why value does not match scale × num / den, or returns
// "". The value may differ by ratioBaseTolerance plus half a unit of its
// last decimal, so that 12 and 12.3 both match 123 / 1000 as a percentage.
func ratioReason(scale float64, value, num, den numField) string {
	want := scale * num.v / den.v
	tol := ratioBaseTolerance + 0.5*math.Pow(10, -float64(value.decimals))
	// The slack absorbs floating-point error at the edge of the
	// tolerance.
	if math.Abs(value.v-want) <= tol+1e-9 {
		return ""
	}
	decimals := max(value.decimals+1, 2)
	return fmt.Sprintf("does not match numerator and denominator: %g × %s / %s = %.*f, and the value may differ from that by at most %.*f",
		scale, num.text, den.text, decimals, want, decimals, tol)
}

// observations sets v.Observations from the observations field, or, when
// it is empty or absent, from the indicator's unit: the denominator of a
// percentage or figure per 1,000, the value of a count, unknown (-1)
// otherwise. A fraction is rounded down.
func (rd *reader) observations(rec []string, line int, ind *catalog.Indicator, v *store.Value) {
	text := rd.field(rec, colObservations)
	if text != "" {
		n, reason := parseObservations(text)
		if reason != "" {
			rd.fail(line, colObservations.String(), text, reason)
		}
		v.Observations = n
		return
	}
	v.Observations = -1
	if ind == nil {
		return
	}
	// Whatever the unit, a denominator counts what the value is based on:
	// persons for a percentage, pupils for a CITO score, deaths for an
	// average age at death.
	switch {
	case v.Denominator.Valid:
		v.Observations = countOf(v.Denominator.V)
	case ind.Unit == catalog.UnitCount && v.Value.Valid:
		v.Observations = countOf(v.Value.V)
	}
}

// maxObservations caps derived observation counts, far above any real
// population, so that a huge number cannot overflow an int.
const maxObservations = 1 << 40

// countOf returns f rounded down as an observation count, or -1 when f is
// negative (which is reported as an error elsewhere).
func countOf(f float64) int {
	if f < 0 {
		return -1
	}
	return int(math.Floor(min(f, maxObservations)))
}

// provenance sets v.Provenance from the provenance field: cbs or demo, cbs
// when empty or absent.
func (rd *reader) provenance(rec []string, line int, v *store.Value) {
	switch text := rd.field(rec, colProvenance); {
	case text == "" || strings.EqualFold(text, string(store.CBS)):
		v.Provenance = store.CBS
	case strings.EqualFold(text, string(store.Demo)):
		v.Provenance = store.Demo
	default:
		rd.fail(line, colProvenance.String(), text, "unknown provenance; use cbs for real CBS figures or demo for generated demo figures")
	}
}

package store

import "github.com/wijkkaart/wijkkaart/catalog"

// Status is what a published value says about itself.
type Status string

// The statuses of a published value.
const (
	// OK values carry a value.
	OK Status = "ok"
	// Suppressed values are based on too few observations, or hidden so
	// that another suppressed value cannot be recomputed.
	Suppressed Status = "suppressed"
	// NoData values are missing in the source.
	NoData Status = "no_data"
	// NoResidents values are about a group of which nobody lives in the
	// area (no observations at all): there is nothing to measure, and
	// saying so discloses no one.
	NoResidents Status = "no_residents"
)

// Valid reports whether s is one of the statuses above.
func (s Status) Valid() bool {
	switch s {
	case OK, Suppressed, NoData, NoResidents:
		return true
	}
	return false
}

// Published is a value after disclosure control: what may leave the
// server. Package disclosure makes them from raw values when data is
// published; stores keep them, and the server reads nothing else. Its
// numbers are absent unless Status is OK, and are already rounded as
// published: counts to the rounding base, values to the indicator's
// decimals.
type Published struct {
	Level      catalog.Level
	Year       int
	Code       string
	Indicator  string
	Group      string
	Status     Status
	Provenance Provenance

	value, numerator, denominator NullFloat64
}

// WithNumbers returns p with the given numbers. A status other than OK
// keeps none of them, so that a suppressed value cannot carry a number.
func (p Published) WithNumbers(value, numerator, denominator NullFloat64) Published {
	if p.Status != OK {
		return p
	}
	p.value, p.numerator, p.denominator = value, numerator, denominator
	return p
}

// Value returns the published value and whether there is one.
func (p Published) Value() (float64, bool) { return p.value.V, p.value.Valid }

// Numerator returns the published numerator and whether there is one.
func (p Published) Numerator() (float64, bool) { return p.numerator.V, p.numerator.Valid }

// Denominator returns the published denominator and whether there is one.
func (p Published) Denominator() (float64, bool) { return p.denominator.V, p.denominator.Valid }

// Numbers returns the value, numerator and denominator as they may be
// absent.
func (p Published) Numbers() (value, numerator, denominator NullFloat64) {
	return p.value, p.numerator, p.denominator
}

// Missing returns the published answer for an area that has no value row:
// no data.
func Missing(level catalog.Level, year int, code, indicator, group string) Published {
	return Published{Level: level, Year: year, Code: code, Indicator: indicator, Group: group, Status: NoData}
}

// Publication says how the numbers of one indicator in one year were
// published: with which disclosure rule, and when.
type Publication struct {
	Year      int
	Indicator string
	// MinObservations is the fewest observations a published value is
	// based on.
	MinObservations int
	// CountRounding is the base published counts are rounded to.
	CountRounding int
}

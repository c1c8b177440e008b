// Package disclosure is the one gate between raw values and anything that
// leaves the server: tiles, JSON, CSV, styles, legends and logs all take a
// Published value, and only Table.Publish makes one.
//
// The rule CBS sets is that a figure based on fewer than ten observations is
// not published. A suppressed value keeps its area and its status, and loses
// its value, numerator and denominator.
package disclosure

import (
	"fmt"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// DefaultMinObservations is the CBS rule: fewer than 10 observations is not
// published.
const DefaultMinObservations = 10

// Status is what a published value says about itself.
type Status string

// The statuses of a published value.
const (
	// OK values carry a value.
	OK Status = "ok"
	// Suppressed values are based on too few observations.
	Suppressed Status = "suppressed"
	// NoData values are missing in the source.
	NoData Status = "no_data"
	// NoResidents values are about a group of which nobody lives in the
	// area (no observations at all): there is nothing to measure, and
	// saying so discloses no one.
	NoResidents Status = "no_residents"
)

// Policy is a disclosure-control rule.
type Policy struct {
	// MinObservations is the fewest observations a published value may
	// be based on.
	MinObservations int
}

// NewPolicy returns a policy with the given threshold.
func NewPolicy(minObservations int) (Policy, error) {
	if minObservations < 1 {
		return Policy{}, fmt.Errorf("disclosure: minimum observations must be at least 1, got %d", minObservations)
	}
	return Policy{MinObservations: minObservations}, nil
}

// Published is a value that may leave the server. Its numbers are absent
// (nil) unless Status is OK.
type Published struct {
	Level      catalog.Level
	Year       int
	Code       string
	Indicator  string
	Group      string
	Status     Status
	Provenance store.Provenance

	value, numerator, denominator *float64
}

// Value returns the published value and whether there is one.
func (p Published) Value() (float64, bool) { return deref(p.value) }

// Numerator returns the published numerator and whether there is one.
func (p Published) Numerator() (float64, bool) { return deref(p.numerator) }

// Denominator returns the published denominator and whether there is one.
func (p Published) Denominator() (float64, bool) { return deref(p.denominator) }

func deref(f *float64) (float64, bool) {
	if f == nil {
		return 0, false
	}
	return *f, true
}

func ptr(f float64) *float64 { return &f }

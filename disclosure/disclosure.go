// Package disclosure is the one gate between raw values and anything that
// leaves the server. Publication (Publish, Table.Publish) runs it once per
// indicator and year when data is imported; stores keep the resulting
// store.Published values, and the server reads nothing else: tiles, JSON,
// CSV, styles, legends and logs are all made from them.
//
// The rule CBS sets is that a figure based on fewer than ten observations is
// not published. A suppressed value keeps its area and its status, and loses
// its value, numerator and denominator. Published counts are rounded, and
// published values are computed from the rounded counts, so that a value
// cannot tell the exact counts (see Table.Publish).
package disclosure

import (
	"fmt"
)

// DefaultMinObservations is the CBS rule: fewer than 10 observations is not
// published.
const DefaultMinObservations = 10

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

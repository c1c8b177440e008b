package disclosure

import "fmt"

// A table of linked statistics as Protect and Recoverable take it: cells,
// the relations between them, and the reason a cell is or is not published.

// Cell is one statistic in a table of linked statistics. A cell stands for
// the value and its counts together: suppressing it hides all of them.
type Cell struct {
	// Observations is what the statistic is based on. A negative count is
	// unknown: the figure was disclosure-controlled at its source (a
	// published CBS figure); it is never suppressed, neither primarily nor
	// as a complementary cell, and never needs protecting. Suppressing it
	// would hide nothing, since the source publishes it anyway, so it counts
	// as known to anyone who reads the relations.
	Observations int
	// Weight is the information lost by suppressing this cell (for example
	// its observations); complementary suppression prefers cells with a
	// small weight. Weights should be finite.
	Weight float64
	// Auxiliary cells are never published: they stand for a sum that no
	// output carries, only to state a relation between published cells.
	// "Europa, both generations" is one: it is the sum of the two
	// generations of the five-way split and also of the five European
	// countries of the twenty-way split, which ties those cells together.
	// An auxiliary cell with fewer observations than the threshold is
	// protected like any primary cell (the sum is itself a figure about a
	// small group); give it negative Observations when its sum may be
	// known.
	Auxiliary bool
}

// Relation says cells[Total] = sum of cells[Parts], for every count the
// cells carry.
type Relation struct {
	Total int
	Parts []int
}

// Reason says why a cell is or is not published. The zero Reason is not a
// valid reason; anything but Publishable counts as hidden.
type Reason uint8

// The reasons.
const (
	// Publishable cells may leave the server.
	Publishable Reason = iota + 1
	// Primary cells are based on fewer observations than the threshold.
	Primary
	// Complementary cells are hidden so that no primary cell (nor any
	// other hidden one) can be recomputed from published cells.
	Complementary
	// Auxiliary cells are not figures anyone publishes (see
	// Cell.Auxiliary) and are based on enough observations, or an unknown
	// number, so they need no protection.
	Auxiliary
)

// String returns the reason's name.
func (r Reason) String() string {
	switch r {
	case Publishable:
		return "publishable"
	case Primary:
		return "primary"
	case Complementary:
		return "complementary"
	case Auxiliary:
		return "auxiliary"
	}
	return fmt.Sprintf("Reason(%d)", uint8(r))
}

// Suppressed reports whether the cell's value and counts must not leave the
// server.
func (r Reason) Suppressed() bool { return r != Publishable }

// protected reports whether a hidden cell must not be recomputable: primary
// and complementary cells must not; auxiliary ones may.
func (r Reason) protected() bool { return r != Publishable && r != Auxiliary }

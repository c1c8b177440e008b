package disclosure_test

import (
	"fmt"

	"github.com/wijkkaart/wijkkaart/disclosure"
)

// A gemeente and its four wijken: the gemeente's count is the sum of its
// wijken's. One wijk has too few observations; publishing the other three
// and the gemeente would give it away, so the smallest other wijk is hidden
// too.
func ExampleProtect() {
	names := []string{"GM0344", "WK034401", "WK034402", "WK034403", "WK034404"}
	obs := []int{472, 120, 7, 45, 300}
	cells := make([]disclosure.Cell, len(obs))
	for i, n := range obs {
		cells[i] = disclosure.Cell{Observations: n, Weight: float64(n)}
	}
	rels := []disclosure.Relation{{Total: 0, Parts: []int{1, 2, 3, 4}}}

	reasons := disclosure.Protect(cells, rels, disclosure.DefaultMinObservations)
	for i, r := range reasons {
		fmt.Println(names[i], r)
	}
	fmt.Println("recoverable:", disclosure.Recoverable(rels, reasons, len(cells)))
	// Output:
	// GM0344 publishable
	// WK034401 publishable
	// WK034402 primary
	// WK034403 complementary
	// WK034404 publishable
	// recoverable: []
}

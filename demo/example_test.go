package demo_test

import (
	"fmt"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/demo"
)

func ExampleLoad() {
	cat, err := catalog.Default()
	if err != nil {
		fmt.Println(err)
		return
	}
	d, err := demo.Load(cat)
	if err != nil {
		fmt.Println(err)
		return
	}
	for v := range d.Values(demo.BaseYear) {
		if v.Code == "GM0344" && v.Group == catalog.TotaalGroup && (v.Indicator == "inwoners" || v.Indicator == "pct_inkomsten_arbeid") {
			fmt.Printf("%s %s %s: %g (%s)\n", v.Code, v.Indicator, v.Group, v.Value.V, v.Provenance)
		}
	}
	// Output:
	// GM0344 inwoners totaal: 361699 (cbs)
	// GM0344 pct_inkomsten_arbeid totaal: 68 (cbs)
}

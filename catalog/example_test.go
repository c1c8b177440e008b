package catalog_test

import (
	"fmt"

	"github.com/wijkkaart/wijkkaart/catalog"
)

func Example() {
	c, err := catalog.Default()
	if err != nil {
		fmt.Println(err)
		return
	}
	ind, ok := c.Indicator("pct_bijstand")
	if !ok {
		fmt.Println("no such indicator")
		return
	}
	fmt.Printf("%s (%s, %s)\n", ind.NameNL, ind.Unit, ind.Polarity)
	fmt.Println(len(c.GroupsOf(ind)), "herkomstgroepen")
	// Output:
	// % 15 t/m 64 jarigen met bijstandsuitkering (percentage, lower_is_favourable)
	// 25 herkomstgroepen
}

func ExampleGemeenteOf() {
	gm, err := catalog.GemeenteOf("BU03440101")
	fmt.Println(gm, err)
	// Output: GM0344 <nil>
}

func ExampleLevel_Parent() {
	for _, l := range append(catalog.Levels(), catalog.Auto) {
		parent, ok := l.Parent()
		fmt.Println(l, l.Rank(), parent, ok, l.Shows())
	}
	// Output:
	// nederland 0  false []
	// gemeente 1 nederland true [gemeente]
	// wijk 2 gemeente true [wijk]
	// buurt 3 wijk true [buurt]
	// auto 2 gemeente true [wijk buurt]
}

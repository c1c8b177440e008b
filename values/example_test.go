package values_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/values"
)

func ExampleRead() {
	cat, err := catalog.Default()
	if err != nil {
		fmt.Println(err)
		return
	}
	good := `year,code,indicator,group,value,numerator,denominator
2023,GM0344,pct_bijstand,marokko,12.3,123,1000
2023,NL01,pct_bijstand,totaal,,,
`
	rows, err := values.Read(strings.NewReader(good), values.Options{Catalog: cat})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		v := r.Value
		fmt.Printf("line %d: %s %s %s: value %v (has value: %v), %d observations\n",
			r.Line, v.Level, v.Code, v.Group, v.Value.V, v.Value.Valid, v.Observations)
	}

	bad := `year,code,indicator,group,value
2023,GM0344,pct_bijstand,totaal,abc
2023,BU03440101,pct_bijstnd,totaal,3.5
`
	_, err = values.Read(strings.NewReader(bad), values.Options{Catalog: cat})
	var errs values.Errors
	fmt.Println(errors.As(err, &errs), len(errs))
	fmt.Println(err)
	// Output:
	// line 2: gemeente GM0344 marokko: value 12.3 (has value: true), 1000 observations
	// line 3: nederland NL01 totaal: value 0 (has value: false), -1 observations
	// true 2
	// 2 problems on 2 lines:
	// line 2: column value: "abc": not a number
	// line 3: column indicator: "pct_bijstnd": unknown indicator; the ids are in the catalogue, catalog/indicators.json
}

func ExampleWriter() {
	cat, err := catalog.Default()
	if err != nil {
		fmt.Println(err)
		return
	}
	var b strings.Builder
	w := values.NewWriter(&b)
	rows, err := values.Read(strings.NewReader("year,code,indicator,value\n2023,WK034401,pct_vve,81.5\n"), values.Options{Catalog: cat})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		if err := w.Write(r.Value); err != nil {
			fmt.Println(err)
			return
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(b.String())
	// Output:
	// year,code,indicator,group,value,numerator,denominator,observations,provenance
	// 2023,WK034401,pct_vve,totaal,81.5,,,-1,cbs
}

package styles_test

import (
	"fmt"

	"github.com/wijkkaart/wijkkaart/styles"
)

func ExampleClassify() {
	// Percentages of twelve wijken, published with one decimal.
	values := []float64{4.2, 5.1, 5.3, 6.04, 7.8, 8.1, 8.4, 11.9, 12.5, 13.0, 17.6, 18.2}
	breaks, err := styles.Classify(values, styles.MethodCKMeans, 4, 1, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("breaks:", breaks)
	fmt.Println("classes:", breaks.Classes())
	fmt.Println("step stops:", breaks.Stops())
	fmt.Println("12.5 is in class", breaks.Class(12.5))
	// Output:
	// breaks: [4.2 7.8 11.9 17.6 18.2]
	// classes: 4
	// step stops: [7.8 11.9 17.6]
	// 12.5 is in class 2
}

func ExampleParseMethod() {
	m, err := styles.ParseMethod("quantile")
	fmt.Println(m, err)
	_, err = styles.ParseMethod("jenks")
	fmt.Println(err)
	// Output:
	// quantile <nil>
	// invalid style parameter: unknown classification method "jenks" (want one of ckmeans, quantile, equal_interval, manual)
}

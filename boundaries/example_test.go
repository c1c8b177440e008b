package boundaries_test

import (
	"fmt"
	"strings"

	"github.com/wijkkaart/wijkkaart/boundaries"
	"github.com/wijkkaart/wijkkaart/catalog"
)

func ExampleReadGeoJSON() {
	const doc = `{"type":"FeatureCollection","features":[
	  {"type":"Feature","properties":{"code":"WK034406","name":"Wijk 06 Binnenstad"},
	   "geometry":{"type":"Polygon","coordinates":[[[5.11,52.08],[5.13,52.08],[5.13,52.10],[5.11,52.10],[5.11,52.08]]]}},
	  {"type":"Feature","properties":{"code":"WK034401","name":"Wijk 01 West"},
	   "geometry":{"type":"Polygon","coordinates":[[[5.07,52.08],[5.11,52.08],[5.11,52.11],[5.07,52.11],[5.07,52.08]]]}}
	]}`
	src, err := boundaries.ReadGeoJSON(strings.NewReader(doc), boundaries.GeoJSONOptions{
		Level:        catalog.Wijk,
		CodeProperty: "code",
		NameProperty: "name",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d %s features in EPSG:%d\n", len(src.Features), src.Level, src.SRID)
	areas, err := src.Areas(2022)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range areas {
		fmt.Printf("%s %s in %s, id %d, %.2f°E\n", a.Code, a.Name, a.GemeenteCode, a.ID, a.LonLatBound.Min[0])
	}
	// Output:
	// 2 wijk features in EPSG:4326
	// WK034401 Wijk 01 West in GM0344, id 20922630, 5.07°E
	// WK034406 Wijk 06 Binnenstad in GM0344, id 20922650, 5.11°E
}

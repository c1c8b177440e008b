package demo

import (
	"fmt"
	"iter"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/wijkkaart/wijkkaart/boundaries"
	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// BuurtYear is the boundary year of the demo buurten: CBS buurt boundaries
// newer than 2019 are not in the shared data. They are linked to the wijken
// of BaseYear by a crosswalk (see BuurtLinks and MODEL.md).
const BuurtYear = 2019

// buurtFile is the embedded buurt boundary file (see data/README.md).
const buurtFile = "data/buurten_2019.geojson.gz"

// buurtData is the buurt level of the dataset.
type buurtData struct {
	// links holds the crosswalk entry of every buurt of BuurtYear, by
	// code; linkOf indexes it by code.
	links  []BuurtLink
	linkOf map[string]int
	// source holds the linked buurten in WGS84, with the gemeente and
	// wijk of BaseYear they lie in.
	source boundaries.Source
	// wijk is the wijk (index into sources.wijken) of every buurt of
	// Dataset.Buurten; byWijk lists the buurten of every wijk, by code.
	wijk   []int
	byWijk [][]int
	// codes are the codes of Dataset.Buurten; uninhabited is true for the
	// buurten of a wijk without inhabitants.
	codes       []string
	uninhabited []bool
	// weight is every buurt's share weight within its wijk (see
	// buurtWeights); pop the demo population of every buurt.
	weight []float64
	pop    buurtPopulation
}

// prepareBuurten reads the buurt boundaries, links every buurt to a wijk
// of BaseYear and splits the wijk populations over their buurten. It needs the
// wijk population.
func (d *Dataset) prepareBuurten() error {
	src, err := readSource(dataFiles, buurtFile, boundaries.GeoJSONOptions{
		Level: catalog.Buurt, CodeProperty: "statcode", NameProperty: "bu_naam_2022",
		GemeenteCodeProperty: "gm_code",
	})
	if err != nil {
		return err
	}
	wijkIndex := make(map[string]int, len(d.src.wijkAreas))
	bounds := make([]orb.Bound, len(d.src.wijkAreas))
	for w, a := range d.src.wijkAreas {
		wijkIndex[a.Code], bounds[w] = w, a.LonLatBound
	}
	bu := &buurtData{
		links:  crosswalk(src.Features, d.src.wijkSource.Features, bounds),
		linkOf: make(map[string]int, len(src.Features)),
		source: boundaries.Source{Level: src.Level, SRID: src.SRID},
		byWijk: make([][]int, len(d.src.wijken)),
	}
	for i, f := range src.Features {
		l := bu.links[i]
		bu.linkOf[l.Code] = i
		if l.Match == MatchNone {
			continue
		}
		w := wijkIndex[l.Wijk]
		wa := d.src.wijkAreas[w]
		f.GemeenteCode, f.GemeenteName, f.WijkCode, f.WijkName = wa.GemeenteCode, wa.GemeenteName, wa.Code, wa.Name
		if f.Name == "" {
			f.Name = fallbackBuurtName(f.Code)
		}
		bu.byWijk[w] = append(bu.byWijk[w], len(bu.source.Features))
		bu.source.Features = append(bu.source.Features, f)
		bu.wijk = append(bu.wijk, w)
		bu.codes = append(bu.codes, f.Code)
		bu.uninhabited = append(bu.uninhabited, d.src.wijken[w].population == 0)
	}
	if d.Buurten, err = bu.source.Areas(BuurtYear); err != nil {
		return fmt.Errorf("%s: %w", buurtFile, err)
	}
	d.bu = bu
	bu.weight = buurtWeights(bu.source.Features)
	bu.pop = d.splitPopulation()
	return nil
}

// fallbackBuurtName is the name of a buurt whose 2019 code is not a buurt
// code of 2022, so that CBS's code table of 2022 has no name for it.
func fallbackBuurtName(code string) string { return "Buurt " + code }

// buurtWeights returns every buurt's weight for its share of its wijk's
// inhabitants: the square root of its area (in km², from WGS84 degrees),
// times 0.05 for a business or industrial estate (see workArea), times a
// seeded log-normal factor exp(0.5·N(0,1)). MODEL.md explains the choice.
func buurtWeights(features []boundaries.Feature) []float64 {
	const kmPerDegree = 111.32
	topic := hashString("buurt/size")
	out := make([]float64, len(features))
	for i, f := range features {
		b := f.Geometry.Bound()
		lat := (b.Min[1] + b.Max[1]) / 2 * math.Pi / 180
		km2 := math.Abs(planar.Area(f.Geometry)) * kmPerDegree * kmPerDegree * math.Cos(lat)
		r := newCellRNG(hashString(f.Code), topic, 0)
		out[i] = math.Sqrt(km2) * math.Exp(0.5*r.norm())
		if workArea(f.Name) {
			out[i] *= 0.05
		}
	}
	return out
}

// workArea reports whether a buurt's name says it is a business or
// industrial estate ("Bedrijventerrein Lageweide", "Industriegebied
// Noord"), where few people live.
func workArea(name string) bool {
	name = strings.ToLower(name)
	for _, stem := range []string{"bedrijventerrein", "bedrijvenpark", "bedrijvengebied", "industrie", "havengebied"} {
		if strings.Contains(name, stem) {
			return true
		}
	}
	return false
}

// BuurtSources returns the demo buurten as read, in WGS84, with the
// gemeente (GemeenteCode, GemeenteName) and wijk (WijkCode, WijkName) of
// BaseYear they lie in according to the crosswalk, and with the fallback name
// where CBS's 2022 code table has none: what `wijkkaart import demo`
// imports as the buurten of BaseYear. Buurten the crosswalk links to no wijk
// are left out.
func (d *Dataset) BuurtSources() []boundaries.Source {
	return []boundaries.Source{d.bu.source}
}

// BuurtWijk returns the wijk of BaseYear that the buurt with this 2019 code
// lies in according to the crosswalk. ok is false for a code that is not a
// buurt of BuurtYear, and for a buurt linked to no wijk.
func (d *Dataset) BuurtWijk(code string) (wijk string, ok bool) {
	i, ok := d.bu.linkOf[code]
	if !ok || d.bu.links[i].Match == MatchNone {
		return "", false
	}
	return d.bu.links[i].Wijk, true
}

// BuurtLinks returns the crosswalk entry of every CBS buurt of BuurtYear,
// sorted by code, including the buurten linked to no wijk (Match ==
// MatchNone), which Buurten leaves out. The slice is a copy.
func (d *Dataset) BuurtLinks() []BuurtLink {
	return slices.Clone(d.bu.links)
}

// AllAreas returns every area of every boundary year, each with Year its
// boundary year: the gemeenten of 2022, 2023 and 2024, the wijken of 2022
// and 2024, and the buurten of BuurtYear, each with the wijk of BaseYear it
// lies in: what the embedded store serves.
func (d *Dataset) AllAreas() []store.Area {
	l := d.later
	areas := slices.Concat(d.Areas, l.gemeenten2023.areas, l.gemeenten2024.areas, l.wijken2024.areas)
	for _, b := range d.Buurten {
		b.WijkCode, _ = d.BuurtWijk(b.Code)
		areas = append(areas, b)
	}
	return areas
}

// AllValues yields Values of every value year, ascending, and then
// BuurtValues. The buurt values, the biggest part of the work, are made on
// a goroutine of their own while the others are yielded.
func (d *Dataset) AllValues() iter.Seq[store.Value] {
	return func(yield func(store.Value) bool) {
		stop := make(chan struct{})
		defer close(stop)
		// A few chunks ahead only: the buurt values are made while the
		// years before them are yielded, but holding them all would cost
		// more than a gigabyte.
		buurten := make(chan []store.Value, 32)
		go func() {
			defer close(buurten)
			chunk := make([]store.Value, 0, valueChunk)
			for v := range d.BuurtValues() {
				if chunk = append(chunk, v); len(chunk) < valueChunk {
					continue
				}
				select {
				case buurten <- chunk:
					chunk = make([]store.Value, 0, valueChunk)
				case <-stop:
					return
				}
			}
			select {
			case buurten <- chunk:
			case <-stop:
			}
		}()
		for _, y := range Years() {
			for v := range d.Values(y) {
				if !yield(v) {
					return
				}
			}
		}
		for chunk := range buurten {
			for _, v := range chunk {
				if !yield(v) {
					return
				}
			}
		}
	}
}

// valueChunk is how many values AllValues hands over at once.
const valueChunk = 16384

// AllSources returns the gemeenten and wijken of BaseYear and the buurten
// linked to them, as read, in WGS84. BoundarySets has every boundary year.
func (d *Dataset) AllSources() []boundaries.Source {
	return append(d.Sources(), d.BuurtSources()...)
}

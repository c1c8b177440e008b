package demo

import (
	"fmt"

	"github.com/wijkkaart/wijkkaart/catalog"
)

// origin is one country (or rest group) of origin of the twenty-way split,
// with the national proportions and group effects the model uses. The
// numbers are round figures after CBS StatLine (Bevolking; herkomstland,
// 2022) and CBS publications on integration (Jaarrapport Integratie); they
// are documented in MODEL.md.
type origin struct {
	group  string // catalog group id
	europe bool   // Europa (excl. NL) rather than Buiten-Europa
	// share is the national share within the part of its region the
	// gemeente figures do not fix (see regionShares).
	share float64
	// firstGen is the share born abroad; recent the share of those who
	// have lived in the Netherlands for less than five years.
	firstGen, recent float64
	// eco, edu and crime are disadvantage scores (0 = no migration
	// background): the direction and rough size of the gaps in income and
	// work, in education, and in registered crime that Dutch statistics
	// report for the group. Indicators scale them (see rateModel.beta).
	eco, edu, crime float64
	// old multiplies the 65+ share of the group's age profile.
	old float64
	// real is which 2022 gemeente figure fixes the group's share, if any.
	real realShare
}

// realShare names a 2022 gemeente migration-background figure.
type realShare int

// The 2022 gemeente figures that fix a country's share.
const (
	noRealShare realShare = iota
	realTurkije
	realMarokko
	realSuriname
	realAntillen
)

// origins returns the nineteen origins other than "geen
// migratieachtergrond", in the order of the catalogue.
func origins() []origin {
	return []origin{
		{group: "bulgarije", europe: true, share: 0.030, firstGen: 0.80, recent: 0.40, eco: 0.8, edu: 0.7, crime: 0.6, old: 0.2},
		{group: "polen", europe: true, share: 0.140, firstGen: 0.78, recent: 0.30, eco: 0.4, edu: 0.3, crime: 0.5, old: 0.2},
		{group: "roemenie", europe: true, share: 0.030, firstGen: 0.80, recent: 0.45, eco: 0.5, edu: 0.4, crime: 0.6, old: 0.2},
		{group: "oekraine", europe: true, share: 0.030, firstGen: 0.78, recent: 0.50, eco: 0.5, edu: 0.0, crime: 0.2, old: 0.4},
		{group: "overig_europa", europe: true, share: 0.770, firstGen: 0.45, recent: 0.30, eco: 0.1, edu: -0.1, crime: 0.2, old: 1.0},
		{group: "turkije", share: 0, firstGen: 0.45, recent: 0.12, eco: 0.8, edu: 0.7, crime: 0.8, old: 0.6, real: realTurkije},
		{group: "marokko", share: 0, firstGen: 0.42, recent: 0.08, eco: 1.0, edu: 0.7, crime: 1.3, old: 0.5, real: realMarokko},
		{group: "suriname", share: 0, firstGen: 0.50, recent: 0.07, eco: 0.6, edu: 0.5, crime: 0.9, old: 0.9, real: realSuriname},
		{group: "indonesie", share: 0.217, firstGen: 0.25, recent: 0.06, eco: 0.1, edu: 0.0, crime: 0.2, old: 2.2},
		{group: "nederlandse_cariben", share: 0, firstGen: 0.55, recent: 0.25, eco: 1.0, edu: 0.8, crime: 1.5, old: 0.4, real: realAntillen},
		{group: "iran", share: 0.031, firstGen: 0.70, recent: 0.20, eco: 0.6, edu: -0.3, crime: 0.4, old: 0.4},
		{group: "irak", share: 0.040, firstGen: 0.62, recent: 0.12, eco: 1.1, edu: 0.5, crime: 0.9, old: 0.3},
		{group: "somalie", share: 0.028, firstGen: 0.55, recent: 0.15, eco: 1.5, edu: 1.0, crime: 1.1, old: 0.1},
		{group: "eritrea", share: 0.022, firstGen: 0.75, recent: 0.35, eco: 1.6, edu: 1.2, crime: 1.0, old: 0.05},
		{group: "syrie", share: 0.071, firstGen: 0.75, recent: 0.25, eco: 1.4, edu: 0.4, crime: 0.7, old: 0.2},
		{group: "afghanistan", share: 0.034, firstGen: 0.62, recent: 0.15, eco: 1.1, edu: 0.2, crime: 0.6, old: 0.2},
		{group: "overig_amerika_oceanie", share: 0.155, firstGen: 0.62, recent: 0.35, eco: 0.4, edu: 0.0, crime: 0.5, old: 0.4},
		{group: "overig_afrika", share: 0.124, firstGen: 0.58, recent: 0.28, eco: 1.0, edu: 0.6, crime: 1.0, old: 0.2},
		{group: "overig_azie", share: 0.279, firstGen: 0.65, recent: 0.38, eco: 0.4, edu: -0.3, crime: 0.3, old: 0.3},
	}
}

// leafKind is the generation part of a leaf.
type leafKind int

// The kinds of leaf.
const (
	native  leafKind = iota // geen migratieachtergrond
	recent                  // born abroad, < 5 years in the Netherlands
	settled                 // born abroad, >= 5 years in the Netherlands
	second                  // born in the Netherlands
)

// A leaf is one cell of the finest population split: "geen
// migratieachtergrond", or one origin crossed with recent, settled or
// second generation. Every herkomstgroep is a union of leaves, so group
// counts and sums nest exactly. Leaf 0 is geen migratieachtergrond; origin
// o has leaves 1+3o (recent), 2+3o (settled) and 3+3o (second).
const nativeLeaf = 0

func leafOf(o int, k leafKind) int { return 1 + 3*o + int(k) - 1 }

func numLeaves(nOrigins int) int { return 1 + 3*nOrigins }

// leafInfo describes a leaf: its kind and origin (-1 for native).
type leafInfo struct {
	kind   leafKind
	origin int
}

func leafInfos(os []origin) []leafInfo {
	out := make([]leafInfo, numLeaves(len(os)))
	out[nativeLeaf] = leafInfo{native, -1}
	for o := range os {
		for _, k := range []leafKind{recent, settled, second} {
			out[leafOf(o, k)] = leafInfo{k, o}
		}
	}
	return out
}

// groupLeaves returns the leaves a catalogue group is the union of.
func groupLeaves(id string, os []origin) ([]int, error) {
	var leaves []int
	add := func(keep func(o origin, k leafKind) bool) {
		for i, o := range os {
			for _, k := range []leafKind{recent, settled, second} {
				if keep(o, k) {
					leaves = append(leaves, leafOf(i, k))
				}
			}
		}
	}
	abroad := func(k leafKind) bool { return k != second }
	switch id {
	case catalog.TotaalGroup:
		leaves = append(leaves, nativeLeaf)
		add(func(origin, leafKind) bool { return true })
	case "geen_migratieachtergrond":
		leaves = append(leaves, nativeLeaf)
	case "europa_buitenland_geboren":
		add(func(o origin, k leafKind) bool { return o.europe && abroad(k) })
	case "europa_nederland_geboren":
		add(func(o origin, k leafKind) bool { return o.europe && !abroad(k) })
	case "buiten_europa_buitenland_geboren":
		add(func(o origin, k leafKind) bool { return !o.europe && abroad(k) })
	case "buiten_europa_nederland_geboren":
		add(func(o origin, k leafKind) bool { return !o.europe && !abroad(k) })
	default:
		add(func(o origin, _ leafKind) bool { return o.group == id })
	}
	if len(leaves) == 0 {
		return nil, fmt.Errorf("herkomstgroep %q has no place in the demo population model", id)
	}
	return leaves, nil
}

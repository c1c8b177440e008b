package catalog

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Level is a level of the CBS area hierarchy.
type Level string

// The levels. Codes nest: WK034401 lies in GM0344, BU03440101 in WK034401.
const (
	Nederland Level = "nederland"
	Gemeente  Level = "gemeente"
	Wijk      Level = "wijk"
	Buurt     Level = "buurt"
)

// Auto is the display level that shows, per gemeente, its buurten where
// its wijken are too coarse to see differences within the city, and its
// wijken elsewhere. It has no areas or values of its own: Shows names the
// levels its areas come from, and its parent is the gemeente, where the
// choice between them is made.
const Auto Level = "auto"

// Levels returns the levels of the CBS area hierarchy from coarse to fine:
// Nederland, gemeente, wijk, buurt. It is the one definition of their
// order: Rank and Parent follow it, and whatever sorts levels, in Go or in
// SQL, sorts by it.
func Levels() []Level { return []Level{Nederland, Gemeente, Wijk, Buurt} }

// Rank returns l's place in the hierarchy from coarse to fine: its index in
// Levels, 0 for Nederland to 3 for a buurt. Auto ranks one below its
// parent, the gemeente, as a wijk does. Rank is -1 for a level that is not
// one of these.
func (l Level) Rank() int {
	if l == Auto {
		return Gemeente.Rank() + 1
	}
	return slices.Index(Levels(), l)
}

// Parent returns the level that l's areas lie in: Nederland for a
// gemeente, the gemeente for a wijk and for Auto, the wijk for a buurt. ok
// is false for Nederland, which lies in nothing, and for unknown levels.
func (l Level) Parent() (parent Level, ok bool) {
	if l == Auto {
		return Gemeente, true
	}
	if r := l.Rank(); r > 0 {
		return Levels()[r-1], true
	}
	return "", false
}

// Shows returns the levels whose areas and values a map of l shows: wijk
// and buurt for Auto, l itself for a level with boundaries (see
// BoundaryLevels), and none for Nederland and unknown levels.
func (l Level) Shows() []Level {
	switch {
	case l == Auto:
		return []Level{Wijk, Buurt}
	case slices.Contains(BoundaryLevels(), l):
		return []Level{l}
	}
	return nil
}

// BoundaryLevels returns the levels CBS publishes boundaries for, from
// coarse to fine.
func BoundaryLevels() []Level { return Levels()[1:] }

// MapLevels returns the levels a map can show: those with boundaries and
// Auto.
func MapLevels() []Level { return append(BoundaryLevels(), Auto) }

// ParseLevel returns the map level named s, Auto included.
func ParseLevel(s string) (Level, error) { return parseLevelOf(s, MapLevels()) }

// ParseBoundaryLevel returns the boundary level named s.
func ParseBoundaryLevel(s string) (Level, error) { return parseLevelOf(s, BoundaryLevels()) }

func parseLevelOf(s string, allowed []Level) (Level, error) {
	for _, l := range allowed {
		if string(l) == s {
			return l, nil
		}
	}
	return "", fmt.Errorf("unknown level %q (want one of %s)", s, joinLevels(allowed))
}

func joinLevels(ls []Level) string {
	names := make([]string, len(ls))
	for i, l := range ls {
		names[i] = string(l)
	}
	return strings.Join(names, ", ")
}

// NederlandCode is the code wijkkaart uses for the country as a whole.
const NederlandCode = "NL01"

// codeShape describes a well-formed CBS area code of one level: a two-letter
// prefix, then digits (the gemeente number), then upper-case letters or
// digits (wijk and buurt numbers, alphanumeric since 2023 in Amsterdam).
type codeShape struct {
	level   Level
	prefix  string
	digits  int    // characters after the prefix that must be digits
	length  int    // total length of the code
	example string // a well-formed code, for error messages
}

// codeShapes lists the shape of each level's codes: GM0344, WK034401,
// WK0363AA, BU03440101, NL01.
func codeShapes() [4]codeShape {
	return [4]codeShape{
		{Nederland, "NL", 0, 4, NederlandCode},
		{Gemeente, "GM", 4, 6, "GM0344"},
		{Wijk, "WK", 4, 8, "WK034401"},
		{Buurt, "BU", 4, 10, "BU03440101"},
	}
}

// LevelOfCode returns the level of a CBS area code such as GM0344 or
// WK034401. It rejects codes that do not have the exact shape CBS uses, so
// that a mistyped code is an error rather than an area that matches nothing.
func LevelOfCode(code string) (Level, error) {
	for _, sh := range codeShapes() {
		if !strings.HasPrefix(code, sh.prefix) {
			continue
		}
		if err := sh.check(code); err != nil {
			return "", err
		}
		return sh.level, nil
	}
	return "", fmt.Errorf("area code %q has no known prefix (NL, GM, WK, BU)", code)
}

func (sh codeShape) check(code string) error {
	if len(code) != sh.length {
		return fmt.Errorf("%s code %q must be %d characters long, like %s", sh.level, code, sh.length, sh.example)
	}
	for i := len(sh.prefix); i < len(code); i++ {
		c := code[i]
		isDigit := c >= '0' && c <= '9'
		if i < len(sh.prefix)+sh.digits && !isDigit {
			return fmt.Errorf("%s code %q must have a four-digit gemeente number after %s, like %s", sh.level, code, sh.prefix, sh.example)
		}
		if !isDigit && (c < 'A' || c > 'Z') {
			return fmt.Errorf("%s code %q may only contain digits and upper-case letters after %s", sh.level, code, sh.prefix)
		}
	}
	return nil
}

// GemeenteOf returns the gemeente code an area code lies in: GM0344 for
// WK034401 and BU03440101. CBS codes carry the gemeente number in characters
// 3 to 6.
func GemeenteOf(code string) (string, error) {
	l, err := LevelOfCode(code)
	if err != nil {
		return "", err
	}
	if l == Nederland {
		return "", fmt.Errorf("area code %q does not lie in a gemeente", code)
	}
	return "GM" + code[2:6], nil
}

// FeatureID returns the stable numeric id of an area, for use as a vector
// tile feature id (MapLibre promoteId and feature-state): the code after
// its two-letter prefix read as a base-36 number, times 4, plus the level's
// Rank: 0 for Nederland, 1 for a gemeente, 2 for a wijk and 3 for a buurt.
// It is unique across levels (the auto layer mixes wijken and buurten),
// equal across boundary years for the same code, works for the
// alphanumeric codes CBS uses since 2023 (WK0363AA) and stays below
// 4·36^8 < 2^53 so that JavaScript represents it exactly.
func FeatureID(code string) (uint64, error) {
	level, err := LevelOfCode(code)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseUint(strings.ToLower(code[2:]), 36, 64)
	if err != nil {
		return 0, fmt.Errorf("area code %q: %w", code, err)
	}
	return n*4 + uint64(level.Rank()), nil
}

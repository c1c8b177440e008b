// Package values reads and writes indicator values in wijkkaart's
// long-format CSV: one value per line, for one indicator, herkomstgroep,
// area and year. FORMAT.md describes the format and every rule Read checks.
//
// Read validates a whole file and returns its rows only when every line is
// good, so that an import loads all of a file or nothing, and tells the user
// every bad line at once rather than one per attempt.
package values

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// Row is one validated value with the line it came from.
type Row struct {
	// Line is the 1-based line of the file the row starts on.
	Line  int
	Value store.Value
}

// LineError is one problem with one line.
type LineError struct {
	// Line is the 1-based line number in the file; the header is line 1.
	Line int
	// Column is the name of the column the problem is in, empty when the
	// problem is with the line as a whole.
	Column string
	// Text is the offending text, empty when there is none.
	Text string
	// Reason says in plain words what is wrong.
	Reason string
}

// maxTextShown is how many characters of a LineError's Text its message
// shows, so that a line of garbage does not flood a terminal.
const maxTextShown = 60

// Error returns the problem as one line, such as
// `line 12: column value: "abc": not a number`.
func (e LineError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "line %d: ", e.Line)
	if e.Column != "" {
		b.WriteString("column " + e.Column + ": ")
	}
	if e.Text != "" {
		fmt.Fprintf(&b, "%q: ", shorten(e.Text))
	}
	b.WriteString(e.Reason)
	return b.String()
}

// shorten cuts s to maxTextShown characters.
func shorten(s string) string {
	if utf8.RuneCountInString(s) <= maxTextShown {
		return s
	}
	return string([]rune(s)[:maxTextShown]) + "…"
}

// maxListed is how many problems an Errors message lists.
const maxListed = 50

// Errors is every problem found in a file, in the order of the lines. It
// implements error; its message lists at most the first 50 problems, one
// per line, then "... and N more".
type Errors []LineError

// Error returns a summary line followed by the problems, one per line.
func (es Errors) Error() string {
	switch len(es) {
	case 0:
		return "no problems"
	case 1:
		return es[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d problems on %s:", len(es), plural(es.lines(), "line"))
	for i, e := range es {
		if i == maxListed {
			fmt.Fprintf(&b, "\n... and %d more", len(es)-maxListed)
			break
		}
		b.WriteString("\n" + e.Error())
	}
	return b.String()
}

// lines returns how many different lines have a problem.
func (es Errors) lines() int {
	seen := make(map[int]bool, len(es))
	for _, e := range es {
		seen[e.Line] = true
	}
	return len(seen)
}

// plural returns "1 line" or "3 lines".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// defaultMaxErrors is the MaxErrors used when Options leaves it 0.
const defaultMaxErrors = 1000

// Options configures Read.
type Options struct {
	// Catalog is the catalogue indicators and groups are checked
	// against. It is required.
	Catalog *catalog.Catalog
	// AreaExists reports whether boundaries exist for an area of a level
	// in a year; a value for an area without boundaries is an error. It
	// is called at most once for each year and code, never for
	// Nederland. Nil skips the check.
	AreaExists func(year int, level catalog.Level, code string) bool
	// MaxErrors is how many problems Read collects before it stops
	// reading; 0 means 1000.
	MaxErrors int
}

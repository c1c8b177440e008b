package values

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// column is one of the columns of the format.
type column int

// The columns, in the order Writer writes them.
const (
	colYear column = iota
	colCode
	colIndicator
	colGroup
	colValue
	colNumerator
	colDenominator
	colObservations
	colProvenance
	numColumns
)

// columnNames returns the name of every column, indexed by column.
func columnNames() [numColumns]string {
	return [numColumns]string{
		"year", "code", "indicator", "group", "value",
		"numerator", "denominator", "observations", "provenance",
	}
}

// String returns the column's name as the header spells it.
func (c column) String() string { return columnNames()[c] }

// required reports whether every file must have the column.
func (c column) required() bool {
	return c == colYear || c == colCode || c == colIndicator || c == colValue
}

// byteOrderMark is the UTF-8 encoding of U+FEFF, which Excel writes at the
// start of a "CSV UTF-8" file.
const byteOrderMark = "\xef\xbb\xbf"

// detectSeparator skips a byte order mark at the start of br and returns
// the field separator the header line uses: ';' when the header line has a
// semicolon, otherwise ','. Column names contain neither. A file that
// starts with a UTF-16 byte order mark, as Excel's "Unicode text" export
// does, is an Errors.
func detectSeparator(br *bufio.Reader) (rune, error) {
	start, err := br.Peek(len(byteOrderMark))
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, err
	}
	switch {
	case bytes.HasPrefix(start, []byte(byteOrderMark)):
		if _, err := br.Discard(len(byteOrderMark)); err != nil {
			return 0, err
		}
	case bytes.HasPrefix(start, []byte{0xff, 0xfe}), bytes.HasPrefix(start, []byte{0xfe, 0xff}):
		return 0, Errors{{Line: 1, Reason: `the file is UTF-16 encoded; save it as "CSV UTF-8"`}}
	}
	head, err := br.Peek(br.Size())
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, err
	}
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	if bytes.IndexByte(head, ';') >= 0 {
		return ';', nil
	}
	return ',', nil
}

// layout is where each column is in the records of one file.
type layout struct {
	// index is the field index of each column, -1 when absent.
	index [numColumns]int
	// fields is how many fields every record has.
	fields int
}

// parseHeader reads the header record. It returns the problems with it;
// a file whose header has problems cannot be read further.
func parseHeader(rec []string) (layout, Errors) {
	l := layout{fields: len(rec)}
	for c := range l.index {
		l.index[c] = -1
	}
	var errs Errors
	names := columnNames()
	known := 0
	for i, raw := range rec {
		name := strings.ToLower(strings.TrimSpace(raw))
		c, ok := columnNamed(name)
		switch {
		case name == "":
			errs = append(errs, LineError{Line: 1, Reason: fmt.Sprintf("column %d of the header has no name; remove empty columns", i+1)})
		case !ok:
			errs = append(errs, LineError{Line: 1, Text: raw, Reason: "unknown column name; the columns are " + strings.Join(names[:], ", ")})
		case l.index[c] >= 0:
			errs = append(errs, LineError{Line: 1, Column: c.String(), Text: raw, Reason: "column named twice in the header"})
		default:
			l.index[c] = i
			known++
		}
	}
	if known == 0 {
		return l, Errors{{Line: 1, Reason: "no header: the first line must name the columns, such as year,code,indicator,group,value"}}
	}
	for c := range numColumns {
		if c.required() && l.index[c] < 0 {
			errs = append(errs, LineError{Line: 1, Column: c.String(), Reason: "required column is missing from the header"})
		}
	}
	return l, errs
}

// columnNamed returns the column with the given lower-case name.
func columnNamed(name string) (column, bool) {
	for c, n := range columnNames() {
		if n == name {
			return column(c), true
		}
	}
	return 0, false
}

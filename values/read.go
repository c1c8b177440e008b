package values

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/wijkkaart/wijkkaart/catalog"
)

// readBufferSize is the read buffer; the separator is detected from the
// part of the header line that fits in it.
const readBufferSize = 64 << 10

// Read reads and validates a whole CSV in the format FORMAT.md describes.
// It returns the rows, in file order, only when every line is valid;
// otherwise an Errors with every problem found (errors.As-able), wrapped
// with a note when it stopped at Options.MaxErrors. An error that is not an
// Errors means the file could not be read at all.
func Read(r io.Reader, opt Options) ([]Row, error) {
	if opt.Catalog == nil {
		return nil, errors.New("values: Options.Catalog is nil")
	}
	br := bufio.NewReaderSize(r, readBufferSize)
	sep, err := detectSeparator(br)
	var errs Errors
	switch {
	case errors.As(err, &errs):
		return nil, errs
	case err != nil:
		return nil, fmt.Errorf("values: reading: %w", err)
	}
	cr := csv.NewReader(br)
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	rd, err := newReader(opt, sep == ';')
	if err != nil {
		return nil, err
	}
	ok, err := rd.readHeader(cr)
	if err != nil || !ok {
		return nil, rd.result(err)
	}
	rows := rowChunks{estimate: rowEstimate(inputSize(r), cr)}
	if err := rd.readRows(cr, &rows); err != nil {
		return nil, rd.result(err)
	}
	if !rd.truncated {
		rd.addDuplicates()
	}
	if err := rd.result(nil); err != nil {
		return nil, err
	}
	return rows.all(), nil
}

// readRows reads and checks the records after the header, adding them to
// rows while no problem has been found. It returns an error only when the
// input cannot be read.
func (rd *reader) readRows(cr *csv.Reader, rows *rowChunks) error {
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if rd.stopped() {
			rd.truncated = true
			return nil
		}
		if err != nil {
			if rd.parseError(err) {
				continue
			}
			return err
		}
		line, _ := cr.FieldPos(0)
		if row, ok := rd.row(rec, line); ok && len(rd.errs) == 0 {
			rows.add(row)
		}
	}
}

// rowChunkSize is how many rows a chunk of rowChunks holds.
const rowChunkSize = 8192

// rowChunks collects rows in chunks, so that millions of rows are copied
// at most once, into the slice all returns, rather than at every growth of
// one slice. When the size of the input is known, the first chunk is grown
// to the number of rows the file will have, estimated from the bytes its
// first rows take, so that usually nothing is copied at all.
type rowChunks struct {
	full [][]Row
	last []Row
	n    int
	// estimate returns how many rows the file has in all, given how
	// many were read so far; nil when the input size is unknown.
	estimate func(read int) int
}

// add appends a row.
func (rc *rowChunks) add(r Row) {
	if len(rc.last) == cap(rc.last) {
		rc.next()
	}
	rc.last = append(rc.last, r)
	rc.n++
}

// next makes room for more rows.
func (rc *rowChunks) next() {
	if len(rc.full) == 0 && cap(rc.last) < rowChunkSize {
		// A small file gets a small slice.
		rc.last = slices.Grow(rc.last, min(max(2*cap(rc.last), 64), rowChunkSize)-len(rc.last))
		return
	}
	if len(rc.full) == 0 && rc.estimate != nil {
		n := rc.estimate(len(rc.last))
		rc.estimate = nil
		if n > len(rc.last) {
			rc.last = append(make([]Row, 0, n), rc.last...)
			return
		}
	}
	rc.full = append(rc.full, rc.last)
	rc.last = make([]Row, 0, rowChunkSize)
}

// all returns every row in one slice.
func (rc *rowChunks) all() []Row {
	if len(rc.full) == 0 {
		return rc.last
	}
	out := make([]Row, 0, rc.n)
	for _, c := range rc.full {
		out = append(out, c...)
	}
	return append(out, rc.last...)
}

// rowEstimate returns a rowChunks.estimate for an input of size bytes read
// by cr, or nil when the size is unknown. It adds 2% and a chunk to the
// rows the bytes still unread would hold at the rate so far.
func rowEstimate(size int64, cr *csv.Reader) func(int) int {
	if size <= 0 {
		return nil
	}
	return func(read int) int {
		done := cr.InputOffset()
		if done <= 0 || done >= size {
			return 0
		}
		return read + int(float64(read)*float64(size-done)/float64(done)*1.02) + rowChunkSize
	}
}

// inputSize returns how many bytes r still has to give when it can tell
// (a file, bytes.Reader, strings.Reader or bytes.Buffer), or 0.
func inputSize(r io.Reader) int64 {
	switch r := r.(type) {
	case interface{ Len() int }:
		return int64(r.Len())
	case *os.File:
		fi, err := r.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			return 0
		}
		at, err := r.Seek(0, io.SeekCurrent)
		if err != nil {
			return 0
		}
		return fi.Size() - at
	}
	return 0
}

// reader holds the state of one Read: the file's layout, the interned
// strings and the keys seen, and the problems found so far.
type reader struct {
	cat          *catalog.Catalog
	areaExists   func(year int, level catalog.Level, code string) bool
	maxErrors    int
	decimalComma bool
	layout       layout

	indicators map[string]uint16 // index in cat.Indicators
	groups     map[string]uint16 // index in cat.Groups
	codes      map[string]uint32 // index in areas
	areas      []area
	areaKnown  map[areaKey]bool
	keys       keyLog

	errs Errors
	// truncated is set when Read stopped at maxErrors before the end.
	truncated bool
}

// area is an interned area code with its level.
type area struct {
	code  string
	level catalog.Level
}

// areaKey identifies an area in a year.
type areaKey struct {
	year uint16
	code uint32
}

// rowKey identifies a value: no two rows may have the same. Its fields are
// indexes of interned strings, which keeps a map of millions small.
type rowKey struct {
	code      uint32
	year      uint16
	indicator uint16
	group     uint16
}

// pack returns the key as one number, which hashes faster than a struct:
// 32 bits of code, 8 of year (years span 200) and 12 each of indicator and
// group (newReader checks the catalogue fits).
func (k rowKey) pack() uint64 {
	return uint64(k.code)<<32 | uint64(k.year-minYear)<<24 | uint64(k.indicator)<<12 | uint64(k.group)
}

// maxCatalogEntries is how many indicators or groups a rowKey can tell
// apart.
const maxCatalogEntries = 1 << 12

// newReader prepares a Read of a file with the given decimal separators.
func newReader(opt Options, decimalComma bool) (*reader, error) {
	if len(opt.Catalog.Indicators) > maxCatalogEntries || len(opt.Catalog.Groups) > maxCatalogEntries {
		return nil, fmt.Errorf("values: a catalogue of more than %d indicators or groups is not supported", maxCatalogEntries)
	}
	rd := &reader{
		cat:          opt.Catalog,
		areaExists:   opt.AreaExists,
		maxErrors:    opt.MaxErrors,
		decimalComma: decimalComma,
		indicators:   make(map[string]uint16, len(opt.Catalog.Indicators)),
		groups:       make(map[string]uint16, len(opt.Catalog.Groups)),
		codes:        make(map[string]uint32),
		areaKnown:    make(map[areaKey]bool),
	}
	if rd.maxErrors <= 0 {
		rd.maxErrors = defaultMaxErrors
	}
	for i, ind := range opt.Catalog.Indicators {
		rd.indicators[ind.ID] = uint16(i)
	}
	for i, g := range opt.Catalog.Groups {
		rd.groups[g.ID] = uint16(i)
	}
	return rd, nil
}

// readHeader reads the header record and reports whether it is good.
func (rd *reader) readHeader(cr *csv.Reader) (bool, error) {
	rec, err := cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		rd.errs = append(rd.errs, LineError{Line: 1, Reason: "the file is empty; it needs a header line naming the columns, such as year,code,indicator,group,value"})
		return false, nil
	case rd.parseError(err):
		return false, nil
	case err != nil:
		return false, err
	}
	var errs Errors
	rd.layout, errs = parseHeader(rec)
	rd.errs = append(rd.errs, errs...)
	return len(errs) == 0, nil
}

// parseError records err when it is a CSV syntax error, such as a stray
// quote, and reports whether it was one. The CSV reader goes on with the
// next line.
func (rd *reader) parseError(err error) bool {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return false
	}
	reason := pe.Err.Error()
	if errors.Is(pe.Err, csv.ErrBareQuote) || errors.Is(pe.Err, csv.ErrQuote) {
		reason += `; a field with a quote must be quoted as a whole, with the quote doubled: "say ""hi"""`
	}
	rd.fail(pe.Line, "", "", fmt.Sprintf("%s (at character %d)", reason, pe.Column))
	return true
}

// fail records a problem.
func (rd *reader) fail(line int, col, text, reason string) {
	rd.errs = append(rd.errs, LineError{Line: line, Column: col, Text: text, Reason: reason})
}

// stopped reports whether MaxErrors problems have been found.
func (rd *reader) stopped() bool { return len(rd.errs) >= rd.maxErrors }

// result returns the error Read ends with: err when the file could not be
// read, the problems found, or nil.
func (rd *reader) result(err error) error {
	switch {
	case err != nil:
		return fmt.Errorf("values: reading: %w", err)
	case len(rd.errs) == 0:
		return nil
	case rd.truncated:
		return fmt.Errorf("%w\nstopped after %d problems; fix these and check the file again", rd.errs[:rd.maxErrors], rd.maxErrors)
	}
	return rd.errs
}

// field returns the trimmed text of column c in rec, "" when the file has
// no such column.
func (rd *reader) field(rec []string, c column) string {
	i := rd.layout.index[c]
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

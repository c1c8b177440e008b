package values

import (
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// Writer writes values in the format Read reads: comma-separated, with a
// header naming every column, '.' as decimal point, numbers with as many
// digits as it takes to read back the same float64, and observations always
// written out. Call Write for each value, then Flush.
type Writer struct {
	cw     *csv.Writer
	rec    []string
	header bool
}

// NewWriter returns a Writer that writes to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{cw: csv.NewWriter(w), rec: make([]string, numColumns)}
}

// Write writes one value. It refuses a value Read would not give back as it
// is: a code that is not of its level, a provenance other than cbs or
// demo, a number that is not finite, observations below -1.
func (w *Writer) Write(v store.Value) error {
	if err := writable(v); err != nil {
		return fmt.Errorf("values: writing %s %s %s %d: %w", v.Code, v.Indicator, v.Group, v.Year, err)
	}
	if err := w.writeHeader(); err != nil {
		return err
	}
	w.rec[colYear] = strconv.Itoa(v.Year)
	w.rec[colCode] = v.Code
	w.rec[colIndicator] = v.Indicator
	w.rec[colGroup] = v.Group
	w.rec[colValue] = formatNull(v.Value)
	w.rec[colNumerator] = formatNull(v.Numerator)
	w.rec[colDenominator] = formatNull(v.Denominator)
	w.rec[colObservations] = strconv.Itoa(v.Observations)
	w.rec[colProvenance] = string(v.Provenance)
	if err := w.cw.Write(w.rec); err != nil {
		return fmt.Errorf("values: writing: %w", err)
	}
	return nil
}

// Flush writes any buffered data, and the header when no value was
// written, and returns the first error writing met.
func (w *Writer) Flush() error {
	if err := w.writeHeader(); err != nil {
		return err
	}
	w.cw.Flush()
	if err := w.cw.Error(); err != nil {
		return fmt.Errorf("values: writing: %w", err)
	}
	return nil
}

// writeHeader writes the header once.
func (w *Writer) writeHeader() error {
	if w.header {
		return nil
	}
	w.header = true
	names := columnNames()
	if err := w.cw.Write(names[:]); err != nil {
		return fmt.Errorf("values: writing: %w", err)
	}
	return nil
}

// writable checks that Read would give v back as it is.
func writable(v store.Value) error {
	level, err := catalog.LevelOfCode(v.Code)
	switch {
	case err != nil:
		return err
	case level != v.Level:
		return fmt.Errorf("code %s is of level %s, not %s", v.Code, level, v.Level)
	case v.Provenance != store.CBS && v.Provenance != store.Demo:
		return fmt.Errorf("unknown provenance %q", v.Provenance)
	case v.Observations < -1:
		return fmt.Errorf("observations %d below -1", v.Observations)
	}
	for _, n := range [...]sql.Null[float64]{v.Value, v.Numerator, v.Denominator} {
		if n.Valid && (math.IsNaN(n.V) || math.IsInf(n.V, 0)) {
			return errors.New("a number is NaN or infinite")
		}
	}
	return nil
}

// formatNull formats a number without exponent and with the fewest digits
// that read back as the same float64; no data is an empty field.
func formatNull(n sql.Null[float64]) string {
	if !n.Valid {
		return ""
	}
	return strconv.FormatFloat(n.V, 'f', -1, 64)
}

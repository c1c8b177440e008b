package memstore

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// fileMagic starts a file of published values; the number is the format
// version, raised whenever the layout below changes.
const fileMagic = "wijkkaart published values 2\n"

// cellSize is the size of one cell in a file: three int32 and the flags.
const cellSize = 13

// WriteValues writes the store's published values, publications,
// boundary years and lineage, not its areas, to w: what ReadValues reads
// back into a builder with the same areas. It is how the embedded demo
// keeps its publication between starts.
func (s *Store) WriteValues(w io.Writer) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return fmt.Errorf("memstore: %w", err)
	}
	bw := bufio.NewWriter(zw)
	enc := encoder{w: bw}
	enc.string(fileMagic)
	enc.uvarint(uint64(len(s.publications)))
	for _, p := range s.publications {
		enc.uvarint(uint64(p.Year))
		enc.string(p.Indicator)
		enc.uvarint(uint64(p.MinObservations))
		enc.uvarint(uint64(p.CountRounding))
	}
	enc.boundaryYears(s)
	enc.lineage(s.lineage)
	keys := sortedKeys(s.series)
	enc.uvarint(uint64(len(keys)))
	for _, k := range keys {
		sr := s.series[k]
		enc.string(string(k.level))
		enc.uvarint(uint64(k.year))
		enc.string(k.indicator)
		enc.string(k.group)
		enc.uvarint(uint64(sr.packed.n))
		sr.packed.all(enc.cell)
	}
	if enc.err != nil {
		return fmt.Errorf("memstore: write values: %w", enc.err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("memstore: write values: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("memstore: write values: %w", err)
	}
	return nil
}

// sortedKeys returns the series keys in a stable order, so that the same
// store always writes the same bytes.
func sortedKeys(m map[seriesKey]*series) []seriesKey {
	keys := make([]seriesKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b seriesKey) int {
		return strings.Compare(fmt.Sprint(a.level, a.year, a.indicator, a.group), fmt.Sprint(b.level, b.year, b.indicator, b.group))
	})
	return keys
}

// ReadValues reads what WriteValues wrote into the builder, whose areas
// must be those of the store that wrote it.
func (b *Builder) ReadValues(r io.Reader) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("memstore: read values: %w", err)
	}
	dec := decoder{r: bufio.NewReader(zr)}
	if magic := dec.string(); dec.err == nil && magic != fileMagic {
		return errors.New("memstore: read values: not a file of published values of this version")
	}
	for n := dec.uvarint(); n > 0 && dec.err == nil; n-- {
		b.Published(store.Publication{Year: int(dec.uvarint()), Indicator: dec.string(),
			MinObservations: int(dec.uvarint()), CountRounding: int(dec.uvarint())})
	}
	if err := b.BoundaryYears(dec.boundaryYears()); err != nil {
		return fmt.Errorf("memstore: read values: %w", err)
	}
	b.Lineage(dec.lineage())
	for n := dec.uvarint(); n > 0 && dec.err == nil; n-- {
		if err := b.readSeries(&dec); err != nil {
			return fmt.Errorf("memstore: read values: %w", err)
		}
	}
	if dec.err != nil {
		return fmt.Errorf("memstore: read values: %w", dec.err)
	}
	return nil
}

// readSeries reads one series and checks it fits the builder's areas.
func (b *Builder) readSeries(dec *decoder) error {
	k := seriesKey{layerKey: layerKey{level: catalog.Level(dec.string()), year: int(dec.uvarint())}}
	k.indicator, k.group = dec.string(), dec.string()
	n := int(dec.uvarint())
	if dec.err != nil {
		return dec.err
	}
	l, _, err := b.store.layerOf(k.level, k.year)
	if err != nil || len(l.areas) != n {
		return fmt.Errorf("the values of %s %d do not fit the areas", k.level, k.year)
	}
	sr, err := b.series(k, n)
	if err != nil {
		return err
	}
	for i := range sr.cells {
		sr.cells[i] = dec.cell()
	}
	// Packed at once, so that reading a file never holds all its values
	// as cells.
	sr.pack()
	return dec.err
}

// encoder writes the file's primitives, remembering the first error.
type encoder struct {
	w   *bufio.Writer
	buf [binary.MaxVarintLen64]byte
	err error
}

func (e *encoder) write(b []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
}

func (e *encoder) uvarint(v uint64) { e.write(binary.AppendUvarint(e.buf[:0], v)) }

func (e *encoder) string(s string) {
	e.uvarint(uint64(len(s)))
	e.write([]byte(s))
}

func (e *encoder) cell(c cell) {
	b := e.buf[:0]
	for _, v := range []int32{c.value, c.numerator, c.denominator} {
		b = binary.LittleEndian.AppendUint32(b, uint32(v))
	}
	e.write(append(b, byte(c.flags)))
}

// decoder reads the file's primitives, remembering the first error.
type decoder struct {
	r   *bufio.Reader
	buf [cellSize]byte
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	var v uint64
	v, d.err = binary.ReadUvarint(d.r)
	return v
}

// maxString bounds the strings of a file, which are names and codes.
const maxString = 1 << 10

func (d *decoder) string() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > maxString {
		d.err = fmt.Errorf("a string of %d bytes is too long", n)
		return ""
	}
	b := make([]byte, n)
	_, d.err = io.ReadFull(d.r, b)
	return string(b)
}

func (d *decoder) cell() cell {
	if d.err != nil {
		return cell{}
	}
	if _, d.err = io.ReadFull(d.r, d.buf[:]); d.err != nil {
		return cell{}
	}
	le := binary.LittleEndian
	return cell{
		value:       int32(le.Uint32(d.buf[0:4])),
		numerator:   int32(le.Uint32(d.buf[4:8])),
		denominator: int32(le.Uint32(d.buf[8:12])),
		flags:       cellFlags(d.buf[12]),
	}
}

// boundaryYears writes the store's (level, value year) → boundary year
// map, in a stable order.
func (e *encoder) boundaryYears(s *Store) {
	keys := make([]layerKey, 0, len(s.boundaryYears))
	for k := range s.boundaryYears {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b layerKey) int {
		return cmp.Or(strings.Compare(string(a.level), string(b.level)), cmp.Compare(a.year, b.year))
	})
	e.uvarint(uint64(len(keys)))
	for _, k := range keys {
		e.string(string(k.level))
		e.uvarint(uint64(k.year))
		e.uvarint(uint64(s.boundaryYears[k]))
	}
}

func (d *decoder) boundaryYears() []store.BoundaryYear {
	var out []store.BoundaryYear
	for n := d.uvarint(); n > 0 && d.err == nil; n-- {
		out = append(out, store.BoundaryYear{Level: catalog.Level(d.string()), Year: int(d.uvarint()), Boundary: int(d.uvarint())})
	}
	return out
}

// lineage writes lineage rows; shares are kept to a millionth.
func (e *encoder) lineage(rows []store.Lineage) {
	e.uvarint(uint64(len(rows)))
	for _, l := range rows {
		e.string(string(l.Level))
		e.uvarint(uint64(l.From))
		e.uvarint(uint64(l.To))
		e.string(l.Code)
		e.string(string(l.Relation))
		e.uvarint(uint64(len(l.Successors)))
		for _, s := range l.Successors {
			e.string(s.Code)
			e.uvarint(uint64(math.Round(s.Share * 1e6)))
			e.uvarint(uint64(math.Round(s.Covers * 1e6)))
		}
	}
}

func (d *decoder) lineage() []store.Lineage {
	var out []store.Lineage
	for n := d.uvarint(); n > 0 && d.err == nil; n-- {
		l := store.Lineage{Level: catalog.Level(d.string()), From: int(d.uvarint()), To: int(d.uvarint()), Code: d.string(), Relation: store.Relation(d.string())}
		for m := d.uvarint(); m > 0 && d.err == nil; m-- {
			l.Successors = append(l.Successors, store.Successor{Code: d.string(), Share: float64(d.uvarint()) / 1e6, Covers: float64(d.uvarint()) / 1e6})
		}
		if d.err == nil && !l.Relation.Valid() {
			d.err = fmt.Errorf("unknown lineage relation %q", l.Relation)
		}
		out = append(out, l)
	}
	return out
}

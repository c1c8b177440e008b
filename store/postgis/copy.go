package postgis

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/wijkkaart/wijkkaart/store"
)

// copyRows copies rows into table in PostgreSQL's binary COPY format,
// written by rows through a copyWriter. pgx's CopyFrom encodes every value
// through its type map, which took a fifth of the demo import's processor
// time for its 25 million rows; the values copied here are of a few fixed
// types, written directly.
func copyRows(ctx context.Context, tx pgx.Tx, table string, columns []string, rows func(*copyWriter) error) (int64, error) {
	pr, pw := io.Pipe()
	go func() {
		pw.CloseWithError(writeCopy(pw, len(columns), rows)) //nolint:errcheck // a pipe's CloseWithError cannot fail
	}()
	quoted := make([]string, len(columns))
	for i, c := range columns {
		quoted[i] = pgx.Identifier{c}.Sanitize()
	}
	sql := fmt.Sprintf("COPY %s (%s) FROM STDIN (FORMAT binary)",
		pgx.Identifier{"wijkkaart", table}.Sanitize(), strings.Join(quoted, ", "))
	tag, err := tx.Conn().PgConn().CopyFrom(ctx, pr, sql)
	// When the copy ends early, the writer must not wait for a reader.
	pr.CloseWithError(errCopyEnded) //nolint:errcheck // a pipe's CloseWithError cannot fail
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

var errCopyEnded = errors.New("copy ended")

// writeCopy writes the binary COPY stream of rows to w: the header, the
// rows, and the trailer.
func writeCopy(w io.Writer, fields int, rows func(*copyWriter) error) error {
	c := &copyWriter{w: w, fields: uint16(fields), buf: make([]byte, 0, copyBufferSize+4096)}
	// Signature, flags, header extension length.
	c.buf = append(c.buf, "PGCOPY\n\xff\r\n\x00"...)
	c.buf = binary.BigEndian.AppendUint32(c.buf, 0)
	c.buf = binary.BigEndian.AppendUint32(c.buf, 0)
	if err := errors.Join(rows(c), c.err); err != nil {
		return err
	}
	c.buf = binary.BigEndian.AppendUint16(c.buf, 0xffff) // the trailer: -1 fields
	_, err := w.Write(c.buf)
	return err
}

// copyBufferSize is how much of the stream is written to the pipe at once.
const copyBufferSize = 256 << 10

// copyWriter writes rows in the binary COPY format: row starts one, the
// field methods append its fields, in the order of the columns.
type copyWriter struct {
	w      io.Writer
	fields uint16
	buf    []byte
	err    error // the first error writing to w
}

// row starts a row. It reports false once the stream cannot be written,
// and the producer should stop.
func (c *copyWriter) row() bool {
	if len(c.buf) >= copyBufferSize {
		_, c.err = c.w.Write(c.buf)
		c.buf = c.buf[:0]
	}
	c.buf = binary.BigEndian.AppendUint16(c.buf, c.fields)
	return c.err == nil
}

// int4 appends an integer column's value.
func (c *copyWriter) int4(v int) {
	c.buf = binary.BigEndian.AppendUint32(c.buf, 4)
	c.buf = binary.BigEndian.AppendUint32(c.buf, uint32(int32(v)))
}

// text appends a text column's value.
func (c *copyWriter) text(s string) {
	c.buf = binary.BigEndian.AppendUint32(c.buf, uint32(len(s)))
	c.buf = append(c.buf, s...)
}

// float8 appends a double precision column's value, or NULL.
func (c *copyWriter) float8(v store.NullFloat64) {
	if !v.Valid {
		c.buf = binary.BigEndian.AppendUint32(c.buf, math.MaxUint32) // length -1: NULL
		return
	}
	c.buf = binary.BigEndian.AppendUint32(c.buf, 8)
	c.buf = binary.BigEndian.AppendUint64(c.buf, math.Float64bits(v.V))
}

// The type OIDs of array elements.
const (
	textOID   = 25
	int4OID   = 23
	float8OID = 701
)

// array appends a one-dimensional array column of n elements of type oid,
// each appended by elem with the field methods.
func (c *copyWriter) array(oid uint32, n int, hasNull bool, elem func(i int)) {
	start := len(c.buf)
	c.buf = binary.BigEndian.AppendUint32(c.buf, 0) // the length, set below
	nulls := uint32(0)
	if hasNull {
		nulls = 1
	}
	for _, v := range []uint32{1, nulls, oid, uint32(n), 1} { // dimensions, nulls, type, size, lower bound
		c.buf = binary.BigEndian.AppendUint32(c.buf, v)
	}
	for i := range n {
		elem(i)
	}
	binary.BigEndian.PutUint32(c.buf[start:], uint32(len(c.buf)-start-4))
}

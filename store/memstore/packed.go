package memstore

import "encoding/binary"

// blockCells is how many cells a block of a packed series holds: reading
// one cell decodes at most this many.
const blockCells = 32

// packed holds a series' cells varint-encoded, in blocks of blockCells:
// a flags byte per cell, then its value, numerator and denominator where
// it has them, zigzag-encoded. A suppressed value or an area without one
// takes one byte, a published one about six, against sixteen for a cell,
// so that six years of values take less memory than one year did.
type packed struct {
	n      int
	starts []uint32 // byte offset of each block in data
	data   []byte
}

// pack encodes cells.
func pack(cells []cell) packed {
	p := packed{n: len(cells), starts: make([]uint32, 0, (len(cells)+blockCells-1)/blockCells)}
	var data []byte
	for i, c := range cells {
		if i%blockCells == 0 {
			p.starts = append(p.starts, uint32(len(data)))
		}
		data = append(data, byte(c.flags))
		for _, f := range c.numbers() {
			if c.flags&f.flag != 0 {
				data = binary.AppendVarint(data, int64(f.n))
			}
		}
	}
	p.data = make([]byte, len(data)) // exactly as long, not append's spare capacity
	copy(p.data, data)
	return p
}

// at returns cell i.
func (p *packed) at(i int) cell {
	r := p.reader()
	return r.at(i)
}

// reader returns a reader of p's cells.
func (p *packed) reader() packedReader { return packedReader{p: p, next: -1} }

// packedReader reads cells of a packed series, fastest in ascending
// order, as tiles and value lists read them: from one cell to a later
// one in the same block it decodes only the cells between.
type packedReader struct {
	p    *packed
	next int // the cell at pos; -1 before the first read
	pos  int
}

// at returns cell i.
func (r *packedReader) at(i int) cell {
	if r.next < 0 || i < r.next || i/blockCells != r.next/blockCells {
		r.next, r.pos = i/blockCells*blockCells, int(r.p.starts[i/blockCells])
	}
	var c cell
	for r.next <= i {
		c, r.pos = r.p.decode(r.pos)
		r.next++
	}
	return c
}

// all calls f with every cell in order.
func (p *packed) all(f func(cell)) {
	pos := 0
	for range p.n {
		var c cell
		c, pos = p.decode(pos)
		f(c)
	}
}

// decode decodes the cell at byte pos and returns it and the position of
// the next.
func (p *packed) decode(pos int) (cell, int) {
	c := cell{flags: cellFlags(p.data[pos])}
	pos++
	for _, f := range [...]struct {
		flag cellFlags
		to   *int32
	}{{hasValue, &c.value}, {hasNumerator, &c.numerator}, {hasDenominator, &c.denominator}} {
		if c.flags&f.flag != 0 {
			v, n := binary.Varint(p.data[pos:])
			*f.to, pos = int32(v), pos+n
		}
	}
	return c, pos
}

// size is the memory the packed cells take, in bytes.
func (p *packed) size() int { return len(p.data) + 4*len(p.starts) }

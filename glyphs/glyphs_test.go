package glyphs

import (
	"errors"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

func TestParseRange(t *testing.T) {
	tests := []struct {
		text  string
		start int
		ok    bool
	}{
		{"0-255", 0, true},
		{"256-511", 256, true},
		{"65280-65535", 65280, true},
		{"0-256", 0, false},
		{"1-256", 0, false},
		{"-256-511", 0, false},
		{"256", 0, false},
		{"a-b", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			start, err := ParseRange(tt.text)
			if tt.ok != (err == nil) || start != tt.start {
				t.Fatalf("ParseRange(%q) = %d, %v; want %d, ok %v", tt.text, start, err, tt.start, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrBadRange) {
				t.Errorf("error %v does not wrap ErrBadRange", err)
			}
		})
	}
}

// decoded is a glyph as MapLibre reads it from the PBF.
type decoded struct {
	bitmap                 []byte
	width, height, advance uint64
	left, top              int64
}

// decode reads a glyph PBF the way MapLibre's parse_glyph_pbf does.
func decode(t *testing.T, b []byte) (name, rng string, glyphs map[rune]decoded) {
	t.Helper()
	glyphs = map[rune]decoded{}
	fields(t, b, func(n protowire.Number, v []byte, _ uint64) {
		if n != 1 {
			t.Fatalf("top-level field %d, want 1 (stacks)", n)
		}
		fields(t, v, func(n protowire.Number, v []byte, _ uint64) {
			switch n {
			case 1:
				name = string(v)
			case 2:
				rng = string(v)
			case 3:
				var id rune
				var g decoded
				fields(t, v, func(n protowire.Number, v []byte, x uint64) {
					switch n {
					case 1:
						id = rune(x)
					case 2:
						g.bitmap = v
					case 3:
						g.width = x
					case 4:
						g.height = x
					case 5:
						g.left = protowire.DecodeZigZag(x)
					case 6:
						g.top = protowire.DecodeZigZag(x)
					case 7:
						g.advance = x
					}
				})
				glyphs[id] = g
			}
		})
	})
	return name, rng, glyphs
}

// fields calls f with each field of a message: bytes for length-delimited
// fields, the number for varints.
func fields(t *testing.T, b []byte, f func(protowire.Number, []byte, uint64)) {
	t.Helper()
	for len(b) > 0 {
		n, typ, l := protowire.ConsumeTag(b)
		if l < 0 {
			t.Fatalf("bad tag: %v", protowire.ParseError(l))
		}
		b = b[l:]
		switch typ {
		case protowire.BytesType:
			v, l := protowire.ConsumeBytes(b)
			if l < 0 {
				t.Fatalf("bad bytes: %v", protowire.ParseError(l))
			}
			f(n, v, 0)
			b = b[l:]
		case protowire.VarintType:
			v, l := protowire.ConsumeVarint(b)
			if l < 0 {
				t.Fatalf("bad varint: %v", protowire.ParseError(l))
			}
			f(n, nil, v)
			b = b[l:]
		default:
			t.Fatalf("field %d has wire type %d", n, typ)
		}
	}
}

func TestRange(t *testing.T) {
	set, err := New()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		fontstack string
		start     int
		name, rng string // the font the range is of
		want      []rune // glyphs a Dutch place name needs
	}{
		{Regular, 0, Regular, "0-255", []rune("'s-Hertogenbosch Ë ë é ï ü ö A z 0 9 (")},
		{Bold, 0, Bold, "0-255", []rune("Zuidoost é")},
		{Regular, 256, Regular, "256-511", []rune("ĳĲŁő")},
		{"Open Sans Regular, Go Bold", 256, Bold, "256-511", []rune("ĳ")},
	}
	for _, tt := range tests {
		t.Run(tt.fontstack+"/"+tt.rng, func(t *testing.T) {
			b, err := set.Range(tt.fontstack, tt.start)
			if err != nil {
				t.Fatal(err)
			}
			name, rng, glyphs := decode(t, b)
			if name != tt.name || rng != tt.rng {
				t.Errorf("fontstack %q range %q, want %q %q", name, rng, tt.name, tt.rng)
			}
			for _, r := range tt.want {
				g, ok := glyphs[r]
				if !ok {
					t.Errorf("no glyph for %q", r)
					continue
				}
				if got := uint64(len(g.bitmap)); g.width > 0 && got != (g.width+6)*(g.height+6) {
					t.Errorf("%q: bitmap of %d bytes for %d×%d plus the border", r, got, g.width, g.height)
				}
				if g.advance == 0 {
					t.Errorf("%q: no advance", r)
				}
			}
			again, err := set.Range(tt.fontstack, tt.start)
			if err != nil || &again[0] != &b[0] {
				t.Errorf("asked again: %v, or the range was rendered twice", err)
			}
		})
	}
}

// TestDistanceField checks that a glyph's field is inside above the
// outline value (191) in its stem and outside below it at the corners.
func TestDistanceField(t *testing.T) {
	set, err := New()
	if err != nil {
		t.Fatal(err)
	}
	b, err := set.Range(Bold, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _, glyphs := decode(t, b)
	l := glyphs['l']
	w, h := int(l.width)+6, int(l.height)+6
	at := func(x, y int) byte { return l.bitmap[y*w+x] }
	if c := at(w/2, h/2); c <= 191 {
		t.Errorf("the middle of l is %d, want above 191 (inside)", c)
	}
	if c := at(0, 0); c >= 191 {
		t.Errorf("the corner of l is %d, want below 191 (outside)", c)
	}
	if l.top >= 0 || l.top < -24 {
		t.Errorf("l's top is %d, want between -24 and 0 (relative to the em box)", l.top)
	}
	if sp := glyphs[' ']; sp.advance == 0 || len(sp.bitmap) != 0 {
		t.Errorf("space: advance %d, %d bytes of bitmap; want an advance and no bitmap", sp.advance, len(sp.bitmap))
	}
}

func TestRangeErrors(t *testing.T) {
	set, err := New()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		fontstack string
		start     int
		want      error
	}{
		{"Arial Unicode MS Regular", 0, ErrUnknownFontstack},
		{"", 0, ErrUnknownFontstack},
		{Regular, 100, ErrBadRange},
		{Regular, -256, ErrBadRange},
	}
	for _, tt := range tests {
		t.Run(tt.fontstack, func(t *testing.T) {
			if _, err := set.Range(tt.fontstack, tt.start); !errors.Is(err, tt.want) {
				t.Errorf("Range(%q, %d) = %v, want %v", tt.fontstack, tt.start, err, tt.want)
			}
		})
	}
}

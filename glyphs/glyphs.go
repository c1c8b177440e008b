package glyphs

import (
	"errors"
	"fmt"
	"image"
	"image/draw"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"google.golang.org/protobuf/encoding/protowire"
)

// The fontstacks a Set serves; a style's text-font names one of them.
const (
	Regular = "Go Regular"
	Bold    = "Go Bold"
)

// RangeSize is how many code points one glyph range holds; MapLibre asks
// for ranges 0-255, 256-511, and so on up to 65280-65535.
const RangeSize = 256

// The glyph protocol's fixed sizes: glyphs are rendered at 24 pixels with
// a 3-pixel border of distance field around each bitmap.
const (
	fontSize = 24
	border   = 3
)

// ErrUnknownFontstack is returned for a fontstack the Set does not have.
var ErrUnknownFontstack = errors.New("unknown fontstack")

// ErrBadRange is returned for a range that is not start-end of one block
// of RangeSize code points.
var ErrBadRange = errors.New("bad glyph range")

// Set makes and keeps the glyph ranges of its fonts. It is safe for
// concurrent use; each range is rendered once.
type Set struct {
	fonts map[string]*opentype.Font
	mu    sync.Mutex
	kept  map[rangeKey]*rangeEntry
}

type rangeKey struct {
	font  string
	start int
}

// rangeEntry is one range, rendered by the first request that needs it
// while later ones wait.
type rangeEntry struct {
	once sync.Once
	pbf  []byte
	err  error
}

// New returns a Set of the Go fonts, Regular and Bold.
func New() (*Set, error) {
	s := &Set{fonts: map[string]*opentype.Font{}, kept: map[rangeKey]*rangeEntry{}}
	for name, ttf := range map[string][]byte{Regular: goregular.TTF, Bold: gobold.TTF} {
		f, err := opentype.Parse(ttf)
		if err != nil {
			return nil, fmt.Errorf("glyphs: font %s: %w", name, err)
		}
		s.fonts[name] = f
	}
	return s, nil
}

// Fontstacks returns the names of the fontstacks s serves, sorted.
func (s *Set) Fontstacks() []string {
	names := make([]string, 0, len(s.fonts))
	for n := range s.fonts {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ParseRange reads a range as MapLibre writes it, such as "256-511", and
// returns its first code point.
func ParseRange(text string) (int, error) {
	a, b, ok := strings.Cut(text, "-")
	start, err1 := strconv.Atoi(a)
	end, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || start < 0 || start%RangeSize != 0 || end != start+RangeSize-1 || end > unicode.MaxRune {
		return 0, fmt.Errorf("%w %q: want start-end of %d code points, such as 0-255 or 256-511", ErrBadRange, text, RangeSize)
	}
	return start, nil
}

// Range returns the glyph PBF of the RangeSize code points from start in
// a fontstack. A fontstack may list fonts separated by commas, as MapLibre
// joins a style's text-font; the first one s has is used. Code points the
// font lacks are left out, so a range may hold no glyphs.
func (s *Set) Range(fontstack string, start int) ([]byte, error) {
	if start < 0 || start%RangeSize != 0 || start > unicode.MaxRune {
		return nil, fmt.Errorf("%w: start %d", ErrBadRange, start)
	}
	name, f := s.font(fontstack)
	if f == nil {
		return nil, fmt.Errorf("%w %q: this server has %s", ErrUnknownFontstack, fontstack, strings.Join(s.Fontstacks(), ", "))
	}
	s.mu.Lock()
	e, ok := s.kept[rangeKey{name, start}]
	if !ok {
		e = &rangeEntry{}
		s.kept[rangeKey{name, start}] = e
	}
	s.mu.Unlock()
	e.once.Do(func() { e.pbf, e.err = render(f, name, start) })
	return e.pbf, e.err
}

// font returns the first font of a comma-separated fontstack that s has.
func (s *Set) font(fontstack string) (string, *opentype.Font) {
	for name := range strings.SplitSeq(fontstack, ",") {
		name = strings.TrimSpace(name)
		if f, ok := s.fonts[name]; ok {
			return name, f
		}
	}
	return "", nil
}

// glyph is one rendered glyph, as glyphs.proto describes it.
type glyph struct {
	id                 rune
	bitmap             []byte
	width, height      int
	left, top, advance int
}

// render renders one range of a font into a glyph PBF named fontstack.
func render(f *opentype.Font, fontstack string, start int) (_ []byte, err error) {
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: fontSize, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("glyphs: %s: %w", fontstack, err)
	}
	defer func() {
		if cerr := face.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("glyphs: %s: %w", fontstack, cerr)
		}
	}()
	// MapLibre's glyph tops are relative to the top of the em box, not the
	// baseline: fontnik subtracts the ascender, and so do we.
	ascent := face.Metrics().Ascent.Round()
	var glyphs []glyph
	for r := rune(start); r < rune(start+RangeSize); r++ {
		if unicode.IsControl(r) || !unicode.IsPrint(r) && r != ' ' && r != 0xa0 {
			continue
		}
		g, ok := renderGlyph(face, r)
		if !ok {
			continue
		}
		g.top -= ascent
		glyphs = append(glyphs, g)
	}
	return encode(fontstack, start, glyphs), nil
}

// renderGlyph rasterises one code point with its border and turns it into
// a distance field; false when the font has no glyph for it.
func renderGlyph(face font.Face, r rune) (glyph, bool) {
	dr, mask, maskp, advance, ok := face.Glyph(fixed.Point26_6{}, r)
	if !ok {
		return glyph{}, false
	}
	g := glyph{id: r, advance: advance.Round(), width: dr.Dx(), height: dr.Dy(), left: dr.Min.X, top: -dr.Min.Y}
	if g.width == 0 || g.height == 0 {
		g.width, g.height = 0, 0
		return g, true
	}
	w, h := g.width+2*border, g.height+2*border
	alpha := image.NewAlpha(image.Rect(0, 0, w, h))
	draw.Draw(alpha, image.Rect(border, border, border+g.width, border+g.height), mask, maskp, draw.Src)
	g.bitmap = distanceField(alpha.Pix, w, h)
	return g, true
}

// encode writes glyphs.proto: glyphs{stacks(1): fontstack{name(1),
// range(2), glyphs(3): glyph{id(1), bitmap(2), width(3), height(4),
// left(5, sint32), top(6, sint32), advance(7)}}}.
func encode(fontstack string, start int, glyphs []glyph) []byte {
	var stack []byte
	stack = protowire.AppendTag(stack, 1, protowire.BytesType)
	stack = protowire.AppendString(stack, fontstack)
	stack = protowire.AppendTag(stack, 2, protowire.BytesType)
	stack = protowire.AppendString(stack, fmt.Sprintf("%d-%d", start, start+RangeSize-1))
	for _, g := range glyphs {
		var b []byte
		b = appendVarint(b, 1, uint64(g.id))
		if len(g.bitmap) > 0 {
			b = protowire.AppendTag(b, 2, protowire.BytesType)
			b = protowire.AppendBytes(b, g.bitmap)
		}
		b = appendVarint(b, 3, uint64(g.width))
		b = appendVarint(b, 4, uint64(g.height))
		b = appendVarint(b, 5, protowire.EncodeZigZag(int64(g.left)))
		b = appendVarint(b, 6, protowire.EncodeZigZag(int64(g.top)))
		b = appendVarint(b, 7, uint64(max(0, g.advance)))
		stack = protowire.AppendTag(stack, 3, protowire.BytesType)
		stack = protowire.AppendBytes(stack, b)
	}
	out := protowire.AppendTag(nil, 1, protowire.BytesType)
	return protowire.AppendBytes(out, stack)
}

func appendVarint(b []byte, field protowire.Number, v uint64) []byte {
	b = protowire.AppendTag(b, field, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

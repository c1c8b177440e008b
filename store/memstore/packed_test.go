package memstore

import (
	"math"
	"testing"
)

func TestPackedCells(t *testing.T) {
	ok := present | hasValue | hasNumerator | hasDenominator
	for _, tt := range []struct {
		name  string
		cells []cell
	}{
		{"empty", nil},
		{"one absent area", []cell{{}}},
		{"suppressed, no numbers", []cell{{flags: present | 1<<statusShift}}},
		{"extremes", []cell{{value: math.MaxInt32, numerator: math.MinInt32, denominator: -1, flags: ok}}},
		{"some numbers only", []cell{{value: 5, flags: present | hasValue}, {denominator: 300, flags: present | hasDenominator | fromCBS}}},
		{"several blocks", func() []cell {
			cells := make([]cell, 3*blockCells+5)
			for i := range cells {
				if i%3 != 0 {
					cells[i] = cell{value: int32(i * 7), numerator: int32(i), denominator: int32(1000 - i), flags: ok}
				}
			}
			return cells
		}()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := pack(tt.cells)
			if p.n != len(tt.cells) {
				t.Fatalf("%d cells packed, want %d", p.n, len(tt.cells))
			}
			r := p.reader()
			for i, want := range tt.cells {
				if got := p.at(i); got != want {
					t.Errorf("cell %d: %+v, want %+v", i, got, want)
				}
				if got := r.at(i); got != want {
					t.Errorf("reading in order, cell %d: %+v, want %+v", i, got, want)
				}
			}
			for i := len(tt.cells) - 1; i >= 0; i -= 3 {
				if got := r.at(i); got != tt.cells[i] {
					t.Errorf("reading backwards, cell %d: %+v, want %+v", i, got, tt.cells[i])
				}
			}
			i := 0
			p.all(func(c cell) {
				if c != tt.cells[i] {
					t.Errorf("all, cell %d: %+v, want %+v", i, c, tt.cells[i])
				}
				i++
			})
			if i != len(tt.cells) {
				t.Errorf("all gave %d cells, want %d", i, len(tt.cells))
			}
		})
	}
}

func BenchmarkPackedAt(b *testing.B) {
	cells := make([]cell, 3340)
	for i := range cells {
		cells[i] = cell{value: int32(i), numerator: int32(i * 3), denominator: int32(i * 50), flags: present | hasValue | hasNumerator | hasDenominator}
	}
	p := pack(cells)
	b.Run("random", func(b *testing.B) {
		for i := range b.N {
			p.at(i * 7919 % len(cells))
		}
	})
	b.Run("ascending", func(b *testing.B) {
		r := p.reader()
		for i := range b.N {
			r.at(i % len(cells))
		}
	})
	b.ReportMetric(float64(p.size())/float64(len(cells)), "bytes/cell")
}

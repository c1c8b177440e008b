package styles

import (
	"testing"

	"github.com/wijkkaart/wijkkaart/catalog"
)

func TestRangeLabels(t *testing.T) {
	tests := []struct {
		lo, hi   float64
		decimals int
		unit     catalog.Unit
		nl, en   string
	}{
		{3.5, 7.2, 1, catalog.UnitPercentage, "3,5 – 7,2%", "3.5 – 7.2%"},
		{12, 12, 1, catalog.UnitPercentage, "12,0%", "12.0%"},
		{1234.5, 23456.25, 2, catalog.UnitCount, "1.234,50 – 23.456,25", "1,234.50 – 23,456.25"},
		{4, 19, 0, catalog.UnitPer1000, "4 – 19 per 1.000", "4 – 19 per 1,000"},
		{-2.5, 0, 1, catalog.UnitIndex, "-2,5 – 0,0", "-2.5 – 0.0"},
		{71, 84, 0, catalog.UnitYears, "71 – 84 jaar", "71 – 84 years"},
		{1000000, 1000000, 0, catalog.UnitCount, "1.000.000", "1,000,000"},
		{-0.0001, 100, 1, catalog.UnitScore, "0,0 – 100,0", "0.0 – 100.0"},
	}
	for _, tt := range tests {
		t.Run(tt.en, func(t *testing.T) {
			nl, en := rangeLabels(tt.lo, tt.hi, tt.decimals, tt.unit)
			if nl != tt.nl || en != tt.en {
				t.Errorf("rangeLabels = %q, %q; want %q, %q", nl, en, tt.nl, tt.en)
			}
		})
	}
}

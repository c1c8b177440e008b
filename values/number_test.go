package values

import (
	"strings"
	"testing"
)

func TestParseNumber(t *testing.T) {
	long := "0," + strings.Repeat("1", 40)
	tests := []struct {
		in           string
		decimalComma bool
		want         float64
		decimals     int
		bad          bool
	}{
		{in: "12.5", want: 12.5, decimals: 1},
		{in: "12", want: 12},
		{in: "-0.25", want: -0.25, decimals: 2},
		{in: "+3", want: 3},
		{in: ".5", want: 0.5, decimals: 1},
		{in: "5.", want: 5},
		{in: "1e3", want: 1000},
		{in: "1.25E1", want: 12.5, decimals: 1},
		{in: "1.5e-2", want: 0.015, decimals: 3},
		{in: "12,5", decimalComma: true, want: 12.5, decimals: 1},
		{in: "12.5", decimalComma: true, want: 12.5, decimals: 1},
		{in: long, decimalComma: true, want: 0.1111111111111111, decimals: 40},
		{in: "12,5", bad: true},
		{in: "1.234,5", decimalComma: true, bad: true},
		{in: "1,234.5", decimalComma: true, bad: true},
		{in: "", bad: true},
		{in: ".", bad: true},
		{in: "-", bad: true},
		{in: "1e", bad: true},
		{in: "1e1000", bad: true},
		{in: "1_000", bad: true},
		{in: "0x10", bad: true},
		{in: "NaN", bad: true},
		{in: "-Inf", bad: true},
		{in: "Infinity", bad: true},
		{in: "12 5", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n, reason := parseNumber(tt.in, tt.decimalComma)
			if tt.bad {
				if reason == "" {
					t.Errorf("parseNumber(%q) = %v, want a reason", tt.in, n)
				}
				return
			}
			if reason != "" || n.v != tt.want || n.decimals != tt.decimals {
				t.Errorf("parseNumber(%q) = %v, %d decimals, %q; want %v, %d", tt.in, n.v, n.decimals, reason, tt.want, tt.decimals)
			}
		})
	}
}

// TestParseNumberAllocs checks that parsing a number, with a decimal comma
// too, does not allocate: Read parses millions.
func TestParseNumberAllocs(t *testing.T) {
	for _, s := range []string{"12.25", "12,25"} {
		if n := testing.AllocsPerRun(100, func() { parseNumber(s, true) }); n != 0 {
			t.Errorf("parseNumber(%q) allocates %v times", s, n)
		}
	}
}

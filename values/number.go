package values

import (
	"math"
	"strconv"
	"strings"
)

// number is a parsed numeric field.
type number struct {
	v float64
	// decimals is how many decimals the text gave: 2 for "12.34", 0 for
	// "12" and "1.2e3".
	decimals int
}

// parseNumber parses a decimal number: an optional sign, digits with
// an optional decimal point, an optional exponent. With decimalComma a ','
// is a decimal point too. It returns a plain reason when s is not a finite
// number.
func parseNumber(s string, decimalComma bool) (number, string) {
	sep, frac, exp, ok := scanNumber(s, decimalComma)
	if !ok {
		return number{}, notANumber(s, decimalComma)
	}
	text := s
	if sep >= 0 && s[sep] == ',' {
		// A short field is copied to the stack: strconv does not keep
		// its argument, so the conversion does not allocate.
		var buf [32]byte
		if len(s) <= len(buf) {
			n := copy(buf[:], s)
			buf[sep] = '.'
			v, err := strconv.ParseFloat(string(buf[:n]), 64)
			return finish(v, err, frac-exp)
		}
		text = s[:sep] + "." + s[sep+1:]
	}
	v, err := strconv.ParseFloat(text, 64)
	return finish(v, err, frac-exp)
}

// finish turns the result of strconv.ParseFloat into a number with the
// given decimals, or the reason it is not one. The syntax is checked
// already, so an error can only be a number out of range.
func finish(v float64, err error, decimals int) (number, string) {
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return number{}, "number too large"
	}
	return number{v: v, decimals: max(decimals, 0)}, ""
}

// scanNumber checks the syntax of a number. It returns the index of the
// decimal separator (-1 when there is none), the number of digits after it
// and the exponent.
func scanNumber(s string, decimalComma bool) (sep, frac, exp int, ok bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	whole := digits(s, &i)
	sep = -1
	if i < len(s) && (s[i] == '.' || (decimalComma && s[i] == ',')) {
		sep = i
		i++
		frac = digits(s, &i)
	}
	if whole+frac == 0 {
		return 0, 0, 0, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		neg := i < len(s) && s[i] == '-'
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		start := i
		if digits(s, &i) == 0 || i-start > 3 {
			return 0, 0, 0, false
		}
		// At most three digits: Atoi cannot fail.
		e, err := strconv.Atoi(s[start:i])
		if err != nil {
			return 0, 0, 0, false
		}
		exp = e
		if neg {
			exp = -exp
		}
	}
	return sep, frac, exp, i == len(s)
}

// digits advances *i over ASCII digits in s and returns how many.
func digits(s string, i *int) int {
	start := *i
	for *i < len(s) && s[*i] >= '0' && s[*i] <= '9' {
		*i++
	}
	return *i - start
}

// notANumber says why s is not a number, with a hint for the mistakes
// spreadsheets make.
func notANumber(s string, decimalComma bool) string {
	switch t := strings.ToLower(strings.TrimLeft(s, "+-")); {
	case t == "nan" || t == "inf" || t == "infinity":
		return "not a number: NaN and infinity are not allowed; leave the field empty for no data"
	case decimalComma && strings.Contains(s, ".") && strings.Contains(s, ","):
		return "not a number: use one decimal separator and no thousands separators, like 1234,5"
	case !decimalComma && strings.Contains(s, ","):
		return "not a number: use '.' as decimal point (a decimal comma is only read in files separated by ';')"
	}
	return "not a number"
}

// parseYear parses a four-digit year.
func parseYear(s string) (int, string) {
	if s == "" {
		return 0, "empty; every line needs a year, like 2023"
	}
	if len(s) != 4 {
		return 0, "not a year: write the year as four digits, like 2023"
	}
	y := 0
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return 0, "not a year: write the year as four digits, like 2023"
		}
		y = 10*y + int(s[i]-'0')
	}
	if y < minYear || y > maxYear {
		return 0, "year out of range 1900–2099"
	}
	return y, ""
}

// The years a value can have.
const (
	minYear = 1900
	maxYear = 2099
)

// parseObservations parses an observation count: a whole number of 0 or
// more, or -1 for unknown.
func parseObservations(s string) (int, string) {
	n, err := strconv.Atoi(s)
	if err != nil || n < -1 {
		return 0, "observations must be a whole number of 0 or more, or -1 for unknown"
	}
	return n, ""
}

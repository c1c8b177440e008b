package values

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// row parses and validates one data record. It records every problem and
// reports whether there was none.
func (rd *reader) row(rec []string, line int) (Row, bool) {
	before := len(rd.errs)
	if len(rec) != rd.layout.fields {
		rd.fail(line, "", "", rd.fieldCountReason(len(rec)))
		return Row{}, false
	}
	v := store.Value{Observations: -1, Provenance: store.CBS}
	key, ind, keyOK := rd.key(rec, line, &v)
	nums := rd.numbers(rec, line)
	if ind != nil {
		rd.checkNumbers(line, *ind, nums)
	}
	v.Value, v.Numerator, v.Denominator = nums.value.null(), nums.numerator.null(), nums.denominator.null()
	rd.observations(rec, line, ind, &v)
	rd.provenance(rec, line, &v)
	if keyOK {
		rd.keys.add(key, line)
	}
	return Row{Line: line, Value: v}, len(rd.errs) == before
}

// fieldCountReason says why a record with n fields does not fit the header.
func (rd *reader) fieldCountReason(n int) string {
	reason := fmt.Sprintf("has %d fields but the header has %d", n, rd.layout.fields)
	if n > rd.layout.fields && !rd.decimalComma {
		reason += "; a number with a decimal comma, like 12,5, needs a file separated by ';'"
	}
	return reason
}

// key parses the fields that identify a value (year, code, indicator and
// group) into v. It returns the key, the indicator when it is known, and
// whether the whole key is valid.
func (rd *reader) key(rec []string, line int, v *store.Value) (rowKey, *catalog.Indicator, bool) {
	var key rowKey
	ok := true
	text := rd.field(rec, colYear)
	year, reason := parseYear(text)
	if reason != "" {
		rd.fail(line, colYear.String(), text, reason)
		ok = false
	}
	v.Year, key.year = year, uint16(year)
	if id, found := rd.area(rec, line, year); found {
		v.Level, v.Code, key.code = rd.areas[id].level, rd.areas[id].code, id
	} else {
		ok = false
	}
	ind, indID, found := rd.indicator(rec, line)
	if found {
		v.Indicator, key.indicator = ind.ID, indID
	} else {
		ok = false
	}
	if g, found := rd.group(rec, line, ind); found {
		v.Group, key.group = rd.cat.Groups[g].ID, g
	} else {
		ok = false
	}
	return key, ind, ok
}

// area parses the code field into an interned area of a level that holds
// values, and, when year is valid, checks it has boundaries that year.
func (rd *reader) area(rec []string, line, year int) (uint32, bool) {
	text := rd.field(rec, colCode)
	id, found := rd.codes[text]
	if !found {
		a, reason := checkCode(text)
		if reason != "" {
			rd.fail(line, colCode.String(), text, reason)
			return 0, false
		}
		id = uint32(len(rd.areas))
		rd.areas = append(rd.areas, a)
		rd.codes[a.code] = id
	}
	a := rd.areas[id]
	if year == 0 || rd.areaExists == nil || a.level == catalog.Nederland {
		return id, true
	}
	k := areaKey{year: uint16(year), code: id}
	exists, asked := rd.areaKnown[k]
	if !asked {
		exists = rd.areaExists(year, a.level, a.code)
		rd.areaKnown[k] = exists
	}
	if !exists {
		rd.fail(line, colCode.String(), text, fmt.Sprintf("no %s with this code in the boundaries of %d", a.level, year))
		return 0, false
	}
	return id, true
}

// checkCode checks an area code and returns it, copied so that it does not
// keep the line it was read from alive, with its level.
func checkCode(text string) (area, string) {
	if text == "" {
		return area{}, "empty; every line needs an area code, such as GM0344, WK034401 or NL01"
	}
	level, err := catalog.LevelOfCode(text)
	switch {
	case err != nil && text != strings.ToUpper(text):
		if _, upperErr := catalog.LevelOfCode(strings.ToUpper(text)); upperErr == nil {
			return area{}, "area codes are written in capitals, like " + strings.ToUpper(text)
		}
		return area{}, err.Error()
	case err != nil:
		return area{}, err.Error()
	case level == catalog.Nederland && text != catalog.NederlandCode:
		return area{}, "the code for Nederland is " + catalog.NederlandCode
	case !slices.Contains(catalog.Levels(), level):
		return area{}, fmt.Sprintf("%s values cannot be loaded: wijkkaart holds values of the levels %s only", level, valueLevels())
	}
	return area{code: strings.Clone(text), level: level}, ""
}

// valueLevels names the levels that hold values: every level of the
// hierarchy.
func valueLevels() string {
	var names []string
	for _, l := range catalog.Levels() {
		names = append(names, string(l))
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

package values

import (
	"cmp"
	"fmt"
	"slices"
)

// keyLog records the key of every row in file order, to find duplicates
// once the whole file is read: sorting millions of numbers once is several
// times faster than looking each one up in a map of millions.
type keyLog struct {
	packed []uint64
	lines  []int
}

// add records the key of the row on line.
func (kl *keyLog) add(k rowKey, line int) {
	kl.packed = append(kl.packed, k.pack())
	kl.lines = append(kl.lines, line)
}

// duplicates returns a problem for every row whose key an earlier row has,
// naming the line of the first. describe spells out a packed key.
func (kl *keyLog) duplicates(describe func(uint64) string) Errors {
	sorted := slices.Clone(kl.packed)
	slices.Sort(sorted)
	// firstLine holds each duplicated key, with the line it is first on
	// once the pass in file order below has met it.
	firstLine := make(map[uint64]int)
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			firstLine[sorted[i]] = 0
		}
	}
	if len(firstLine) == 0 {
		return nil
	}
	var errs Errors
	for i, k := range kl.packed {
		first, dup := firstLine[k]
		switch {
		case !dup:
		case first == 0:
			firstLine[k] = kl.lines[i]
		default:
			errs = append(errs, LineError{Line: kl.lines[i], Text: describe(k),
				Reason: fmt.Sprintf("duplicate of line %d: the same year, code, indicator and group", first)})
		}
	}
	return errs
}

// unpack is the inverse of rowKey.pack.
func unpack(p uint64) rowKey {
	return rowKey{
		code:      uint32(p >> 32),
		year:      uint16(p>>24&0xff) + minYear,
		indicator: uint16(p >> 12 & 0xfff),
		group:     uint16(p & 0xfff),
	}
}

// describeKey spells out a packed key as year,code,indicator,group.
func (rd *reader) describeKey(p uint64) string {
	k := unpack(p)
	return fmt.Sprintf("%d,%s,%s,%s", k.year, rd.areas[k.code].code, rd.cat.Indicators[k.indicator].ID, rd.cat.Groups[k.group].ID)
}

// addDuplicates adds the duplicate rows to the problems, keeping them in
// line order.
func (rd *reader) addDuplicates() {
	dups := rd.keys.duplicates(rd.describeKey)
	if len(dups) == 0 {
		return
	}
	rd.errs = append(rd.errs, dups...)
	slices.SortStableFunc(rd.errs, func(a, b LineError) int { return cmp.Compare(a.Line, b.Line) })
	if len(rd.errs) > rd.maxErrors {
		rd.truncated = true
	}
}

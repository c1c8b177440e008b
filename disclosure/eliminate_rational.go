package disclosure

import (
	"math/big"
	"slices"
)

// The fallback of eliminate for systems whose coefficients outgrow an
// int64: dense Gauss-Jordan elimination over big.Rat.

// denseDetermined is columns.determined in exact rational arithmetic of any
// size, on a dense matrix: slow and memory-hungry, the fallback for the
// rare system whose integer coefficients outgrow an int64.
func denseDetermined(rows [][]entry, n int) []bool {
	a := make([][]big.Rat, len(rows))
	for i, r := range rows {
		a[i] = make([]big.Rat, n)
		for _, e := range r {
			a[i][e.col].SetInt64(e.val)
		}
	}
	pivotRow := make([]int, n)
	var f, t big.Rat
	rank := 0
	for c := 0; c < n; c++ {
		pivotRow[c] = -1
		i := slices.IndexFunc(a[rank:], func(r []big.Rat) bool { return r[c].Sign() != 0 })
		if i < 0 {
			continue
		}
		a[rank], a[rank+i] = a[rank+i], a[rank]
		f.Inv(&a[rank][c])
		for k := range a[rank] {
			a[rank][k].Mul(&a[rank][k], &f)
		}
		for j := range a {
			if j != rank && a[j][c].Sign() != 0 {
				f.Set(&a[j][c])
				for k := range a[j] {
					a[j][k].Sub(&a[j][k], t.Mul(&f, &a[rank][k]))
				}
			}
		}
		pivotRow[c] = rank
		if rank++; rank == len(a) {
			break
		}
	}
	det := make([]bool, n)
	for c, r := range pivotRow {
		det[c] = r >= 0 && onlyNonzero(a[r], c)
	}
	return det
}

// onlyNonzero reports whether row[c] is the only nonzero in row.
func onlyNonzero(row []big.Rat, c int) bool {
	for k := range row {
		if k != c && row[k].Sign() != 0 {
			return false
		}
	}
	return true
}

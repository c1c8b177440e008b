package values_test

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/values"
)

// benchmarkFile writes a file of about n rows shaped like the demo data:
// every indicator and group in a gemeente and its wijken, a percentage or
// rate with its numerator and denominator, a count with its value.
func benchmarkFile(tb testing.TB, cat *catalog.Catalog, n int) ([]byte, int) {
	tb.Helper()
	var buf bytes.Buffer
	w := values.NewWriter(&buf)
	rows := 0
	for a := 0; rows < n; a++ {
		code := fmt.Sprintf("WK%04d%02d", a/20, a%20)
		level := catalog.Wijk
		if a%20 == 0 {
			code, level = fmt.Sprintf("GM%04d", a/20), catalog.Gemeente
		}
		for _, ind := range cat.Indicators {
			for gi, g := range cat.GroupsOf(ind) {
				v := benchmarkValue(ind, a*31+gi)
				v.Level, v.Year, v.Code, v.Indicator, v.Group = level, 2023, code, ind.ID, g.ID
				if err := w.Write(v); err != nil {
					tb.Fatal(err)
				}
				rows++
			}
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes(), rows
}

// benchmarkValue returns a plausible value of ind, varied by seed.
func benchmarkValue(ind catalog.Indicator, seed int) store.Value {
	den := float64(50 + seed%4000)
	num := float64(seed % int(den))
	v := store.Value{Observations: int(den), Provenance: store.Demo}
	switch ind.Unit {
	case catalog.UnitPercentage:
		v.Value, v.Numerator, v.Denominator = store.NullFloat(100*num/den), store.NullFloat(num), store.NullFloat(den)
	case catalog.UnitPer1000:
		v.Value, v.Numerator, v.Denominator = store.NullFloat(1000*num/den), store.NullFloat(num), store.NullFloat(den)
	case catalog.UnitCount:
		v.Value, v.Numerator, v.Observations = store.NullFloat(den), store.NullFloat(den), int(den)
	default:
		v.Value = store.NullFloat(500 + num/den*50)
	}
	return v
}

// BenchmarkRead reads files shaped like the demo data. It reports the time
// and the allocations per row.
func BenchmarkRead(b *testing.B) {
	cat, err := catalog.Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, size := range []int{100_000, 3_000_000} {
		data, rows := benchmarkFile(b, cat, size)
		opt := values.Options{Catalog: cat, AreaExists: func(int, catalog.Level, string) bool { return true }}
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				if _, err := values.Read(bytes.NewReader(data), opt); err != nil {
					b.Fatal(err)
				}
			}
			runtime.ReadMemStats(&after)
			total := float64(b.N) * float64(rows)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/total, "ns/row")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/total, "allocs/row")
		})
	}
}

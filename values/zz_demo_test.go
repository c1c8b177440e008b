package values_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/demo"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/values"
)

func TestZZDemo(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	d, err := demo.Load(cat)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := values.NewWriter(&buf)
	var vs []store.Value
	for v := range d.Values() {
		vs = append(vs, v)
		if err := w.Write(v); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	t.Logf("demo: %d values, %d bytes, %v", len(vs), buf.Len(), time.Since(t0))
	t1 := time.Now()
	rows, err := values.Read(bytes.NewReader(buf.Bytes()), values.Options{Catalog: cat})
	t.Logf("read %v", time.Since(t1))
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if r.Value != vs[i] {
			t.Fatalf("row %d: %+v != %+v", i, r.Value, vs[i])
		}
	}
}

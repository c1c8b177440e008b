package styles

import (
	"math"
	"math/rand/v2"
	"testing"
)

// BenchmarkClassifyCKMeans classifies as many values as the Netherlands has
// wijken (about 3,500) into the most classes:
//
//	go test ./styles -run '^$' -bench ClassifyCKMeans -benchmem
func BenchmarkClassifyCKMeans(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	values := make([]float64, 3500)
	for i := range values {
		values[i] = math.Exp(rng.NormFloat64()) * 10
	}
	for b.Loop() {
		if _, err := Classify(values, MethodCKMeans, MaxClasses, 1, nil); err != nil {
			b.Fatal(err)
		}
	}
}

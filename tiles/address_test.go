package tiles

import (
	"errors"
	"testing"

	"github.com/paulmach/orb/maptile"
)

func TestParseAddress(t *testing.T) {
	zooms := ZoomRange{Min: 0, Max: 16}
	tests := []struct {
		z, x, y string
		want    maptile.Tile
		wantErr error
	}{
		{"0", "0", "0", maptile.New(0, 0, 0), nil},
		{"12", "2106", "1351", maptile.New(2106, 1351, 12), nil},
		{"16", "65535", "65535", maptile.New(65535, 65535, 16), nil},
		{"17", "0", "0", maptile.Tile{}, ErrOutOfRange},
		{"1", "2", "0", maptile.Tile{}, ErrOutOfRange},
		{"1", "0", "2", maptile.Tile{}, ErrOutOfRange},
		{"a", "0", "0", maptile.Tile{}, ErrMalformed},
		{"1", "-1", "0", maptile.Tile{}, ErrMalformed},
		{"1", "0", "+1", maptile.Tile{}, ErrMalformed},
		{"1", "0x1", "0", maptile.Tile{}, ErrMalformed},
		{"", "0", "0", maptile.Tile{}, ErrMalformed},
		{"1", "99999999999999999999", "0", maptile.Tile{}, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.z+"/"+tt.x+"/"+tt.y, func(t *testing.T) {
			got, err := ParseAddress(tt.z, tt.x, tt.y, zooms)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

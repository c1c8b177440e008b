package export

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers of the Mapbox Vector Tile protobuf
// (https://github.com/mapbox/vector-tile-spec/blob/master/2.1/vector_tile.proto).
const (
	tileLayersField = 3
	layerNameField  = 1
)

// renameLayers returns an encoded vector tile with every layer named name
// and every other byte as it was: the tile the server encoded, relabelled.
func renameLayers(tile []byte, name string) ([]byte, error) {
	out := make([]byte, 0, len(tile)+len(name))
	for len(tile) > 0 {
		num, typ, n := protowire.ConsumeTag(tile)
		if n < 0 {
			return nil, fmt.Errorf("vector tile: %w", protowire.ParseError(n))
		}
		m := protowire.ConsumeFieldValue(num, typ, tile[n:])
		if m < 0 {
			return nil, fmt.Errorf("vector tile: %w", protowire.ParseError(m))
		}
		if num != tileLayersField || typ != protowire.BytesType {
			out = append(out, tile[:n+m]...)
			tile = tile[n+m:]
			continue
		}
		layer, _ := protowire.ConsumeBytes(tile[n:])
		renamed, err := renameLayer(layer, name)
		if err != nil {
			return nil, err
		}
		out = protowire.AppendTag(out, tileLayersField, protowire.BytesType)
		out = protowire.AppendBytes(out, renamed)
		tile = tile[n+m:]
	}
	return out, nil
}

// renameLayer returns an encoded layer with its name replaced.
func renameLayer(layer []byte, name string) ([]byte, error) {
	out := protowire.AppendTag(make([]byte, 0, len(layer)+len(name)), layerNameField, protowire.BytesType)
	out = protowire.AppendString(out, name)
	for len(layer) > 0 {
		num, typ, n := protowire.ConsumeTag(layer)
		if n < 0 {
			return nil, fmt.Errorf("vector tile layer: %w", protowire.ParseError(n))
		}
		m := protowire.ConsumeFieldValue(num, typ, layer[n:])
		if m < 0 {
			return nil, fmt.Errorf("vector tile layer: %w", protowire.ParseError(m))
		}
		if num != layerNameField {
			out = append(out, layer[:n+m]...)
		}
		layer = layer[n+m:]
	}
	return out, nil
}

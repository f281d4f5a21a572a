package main

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/hub"
)

// The bench's sanctions lists: copies of the screening package's UN and OFAC
// samples (benchdata/SOURCES.md), embedded so the binary needs no checkout.
var (
	//go:embed benchdata/UN_consolidated.xml
	benchUN []byte
	//go:embed benchdata/ofac/sdn.csv
	benchOFACSDN []byte
	//go:embed benchdata/ofac/add.csv
	benchOFACAdd []byte
	//go:embed benchdata/ofac/alt.csv
	benchOFACAlt []byte
)

// benchLoadLists loads the UN and OFAC samples into the hub and returns
// how many entries they hold.
func benchLoadLists(ctx context.Context, op *httpapi.Client) (int, error) {
	lists := []httpapi.ListRequest{
		{Name: "un", Format: hub.ListFormatUN, Files: [][]byte{benchUN}},
		{Name: "ofac", Format: hub.ListFormatOFACCSV, Files: [][]byte{benchOFACSDN, benchOFACAdd, benchOFACAlt}},
	}
	entries := 0
	for _, l := range lists {
		info, err := op.LoadList(ctx, l)
		if err != nil {
			return 0, fmt.Errorf("load list %s: %w", l.Name, err)
		}
		entries += info.Entries
	}
	return entries, nil
}

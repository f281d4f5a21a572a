// Command xsdgen reads the ISO 20022 XSDs of the message set and writes two
// Go files of package iso20022: the schema tables its validator walks
// (xsd_tables.go) and the Go types of every message (messages.go). It is
// run by go generate in the iso20022 folder and uses only the standard
// library; its output is committed.
//
// It understands exactly the XSD subset ISO 20022's Standards Editor
// writes: global simple types restricting a built-in type with facets,
// global complex types holding one xs:sequence or xs:choice of elements (or
// one xs:any), or simple content extended by required attributes, and one
// global element. Anything else stops it with an error, so that a schema it
// does not understand is never half read.
//
//	go run ./internal/xsdgen -out . testdata/xsd
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	out := flag.String("out", ".", "folder to write xsd_tables.go and messages.go into")
	flag.Parse()
	if err := run(*out, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "xsdgen:", err)
		os.Exit(1)
	}
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// runOperator is `corridor operator revoke --serial S`: the hub refuses the
// operator certificate with that serial from its next request on.
func runOperator(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "revoke" {
		fmt.Fprintln(stderr, "usage: corridor operator revoke --data DIR [--hub URL] --serial HEX")
		return errors.New("operator: the only subcommand is revoke")
	}
	fs, op := operatorFlagSet("operator revoke", stderr)
	serial := fs.String("serial", "", "the operator certificate's serial number, hex")
	if err := parseFlags(fs, args[1:], stdout); err != nil {
		return err
	}
	c, err := op.client()
	if err != nil {
		return fmt.Errorf("operator revoke: %w", err)
	}
	defer c.Close()
	if err := c.RevokeOperator(ctx, *serial); err != nil {
		return fmt.Errorf("operator revoke: %w", err)
	}
	fmt.Fprintf(stdout, "operator certificate %s revoked\n", *serial)
	return nil
}

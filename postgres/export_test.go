package postgres

import (
	"context"
	"fmt"
)

// Setting returns a setting as the store's own connections see it.
func Setting(ctx context.Context, db *DB, name string) (string, error) {
	var v string
	err := db.pool.QueryRow(ctx, "SELECT current_setting($1)", name).Scan(&v)
	return v, err
}

// Durable applies Open's rule for the durability setting name to value.
func Durable(name, value string) error {
	for _, s := range durabilitySettings {
		if s.name == name {
			return durable(name, value, s.lossy)
		}
	}
	return fmt.Errorf("%s is not a durability setting", name)
}

package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"

	"github.com/BurntSushi/toml"
)

// maxConfigBytes is the largest configuration file read.
const maxConfigBytes = 1 << 20

// hubDefaults is the configuration 'corridor hub' starts from: DefaultConfig
// with the operations listener on its well-known port.
func hubDefaults() Config {
	c := DefaultConfig()
	c.OpsAddr = defaultOpsAddr
	return c
}

// hubFlags are the flags of 'corridor hub': every setting, bound to c, and
// the two that are not settings.
func hubFlags(c *Config, path *string, print *bool) *flag.FlagSet {
	fs := flag.NewFlagSet("hub", flag.ContinueOnError)
	fs.StringVar(path, "config", "", "a TOML configuration file (see docs/configuration.md)")
	fs.BoolVar(print, "print-config", false, "print the effective configuration as TOML and exit")
	bindFlags(fs, c)
	return fs
}

// loadHubConfig is the configuration args ask for: the defaults, then the
// --config file, then the environment (lookup), then the flags. Every
// problem is reported at once, as a usageError (exit status 2).
func loadHubConfig(args []string, lookup func(string) (string, bool), stdout io.Writer) (c Config, print bool, err error) {
	var path string
	scratch := hubDefaults()
	if err := parseFlags(hubFlags(&scratch, &path, &print), args, stdout); err != nil {
		return c, print, err
	}
	c = hubDefaults()
	var errs []error
	if path != "" {
		errs = append(errs, loadConfigFile(&c, path)...)
	}
	errs = append(errs, applyEnv(&c, lookup)...)
	if err := hubFlags(&c, &path, &print).Parse(args); err != nil {
		errs = append(errs, err) // Parsed once already: not expected.
	}
	if err := c.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return c, print, usagef("bad configuration:\n%w", err)
	}
	return c, print, nil
}

// loadConfigFile sets c from the TOML file at path. A key that is no
// setting is refused with its line, and every bad value is reported.
func loadConfigFile(c *Config, path string) []error {
	b, err := readConfigFile(path)
	if err != nil {
		return []error{err}
	}
	vals := reflect.New(fileType()).Elem()
	md, err := toml.NewDecoder(bytes.NewReader(b)).Decode(vals.Addr().Interface())
	if err != nil {
		return []error{fmt.Errorf("%s: %w", path, err)}
	}
	var errs []error
	reported := map[string]bool{}
	for _, k := range md.Undecoded() {
		if !reported[k[0]] { // A table is reported once, not each of its keys.
			reported[k[0]] = true
			errs = append(errs, fmt.Errorf("%s:%d: unknown key %q", path, keyLine(b, k[0]), k[0]))
		}
	}
	for i, s := range settings {
		if v := vals.Field(i).Interface(); v != nil {
			where := fmt.Sprintf("%s:%d: %s", path, keyLine(b, s.key), s.key)
			errs = appendSettingErr(errs, where, setFromFile(s.bind(c), v))
		}
	}
	return errs
}

// readConfigFile reads at most maxConfigBytes of the file at path.
func readConfigFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxConfigBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(b) > maxConfigBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxConfigBytes)
	}
	return b, nil
}

// fileType is a struct with one field per setting, tagged with its key, so
// that MetaData.Undecoded lists the keys that are no setting. The fields are
// of type any, and setFromFile checks their types, so that a value of the
// wrong type is reported with the other problems rather than alone.
func fileType() reflect.Type {
	fields := make([]reflect.StructField, len(settings))
	for i, s := range settings {
		fields[i] = reflect.StructField{Name: fmt.Sprintf("S%d", i), Type: reflect.TypeFor[any](),
			Tag: reflect.StructTag(fmt.Sprintf("toml:%q", s.key))}
	}
	return reflect.StructOf(fields)
}

// setFromFile sets val to v, as decoded from the file, once v is of the
// TOML type of val's fileValue (an integer will do for a float).
func setFromFile(val settingValue, v any) error {
	want := val.fileValue()
	if _, isFloat := want.(float64); isFloat {
		if n, ok := v.(int64); ok {
			v = float64(n)
		}
	}
	if list, ok := v.([]any); ok {
		items := make([]string, len(list))
		for i, it := range list {
			if items[i], ok = it.(string); !ok {
				return fmt.Errorf("want an array of strings, not one holding %s", tomlType(it))
			}
		}
		return setList(val, items)
	}
	if reflect.TypeOf(v) != reflect.TypeOf(want) {
		return fmt.Errorf("want %s, not %s", tomlType(want), tomlType(v))
	}
	if s, ok := v.(string); ok {
		return val.Set(s)
	}
	return val.Set(fmt.Sprint(v))
}

// tomlType names the TOML type of a decoded value.
func tomlType(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []string, []any:
		return "an array"
	}
	return fmt.Sprintf("a %T", v)
}

// keyLine is the line of b where the top-level key (or table) first is
// defined; 0 when it cannot be found.
func keyLine(b []byte, first string) int {
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		for _, name := range []string{first, `"` + first + `"`, "'" + first + "'"} {
			rest, ok := strings.CutPrefix(strings.TrimLeft(line, "[ "), name)
			if ok && strings.IndexAny(strings.TrimSpace(rest), "=.]") == 0 {
				return i + 1
			}
		}
	}
	return 0
}

// writeConfig writes c as a TOML configuration file, every setting in the
// table's order, that loadConfigFile reads back to c.
func writeConfig(w io.Writer, c Config) error {
	var buf bytes.Buffer
	buf.WriteString("# The effective configuration of 'corridor hub' (docs/configuration.md).\n")
	for _, s := range settings {
		if err := toml.NewEncoder(&buf).Encode(map[string]any{s.key: s.bind(&c).fileValue()}); err != nil {
			return err
		}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// configReference is docs/configuration.md, generated from settings.
func configReference() []byte {
	var b bytes.Buffer
	b.WriteString(`# Configuration reference: corridor hub

<!-- Generated from the settings table in cmd/corridor/settings.go by
go test ./cmd/corridor -run TestConfigReference -update; do not edit. -->

Every setting of ` + "`corridor hub`" + ` is a key of its TOML configuration file
(` + "`--config FILE`" + `), an environment variable and a flag, of the same name. Each source
overrides the one before: the defaults, then the file, then the environment, then the flags. A
repeatable setting (an array in the file, comma-separated in the environment) is replaced, not
extended, by a later source. A key of the file that is no setting is refused with its line. Every
setting is validated at start, and every problem is reported at once (exit status 2).
` + "`corridor hub --print-config`" + ` prints the effective configuration as a file that
` + "`--config`" + ` reads back, and exits 0 without starting. deploy/corridor.toml is an example.

| key and flag | environment | default | what |
|---|---|---|---|
`)
	def := hubDefaults()
	for _, s := range settings {
		var v bytes.Buffer
		_ = toml.NewEncoder(&v).Encode(map[string]any{"v": s.bind(&def).fileValue()}) // Writing to memory.
		fmt.Fprintf(&b, "| `%s` %s | `%s` | `%s` | %s |\n", s.key, s.arg, envName(s.key),
			strings.TrimPrefix(strings.TrimSpace(v.String()), "v = "), s.usage)
	}
	return b.Bytes()
}

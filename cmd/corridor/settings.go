package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// setting is one setting of 'corridor hub'. The table of them, settings,
// drives the flag set, the configuration file's keys, the environment
// variables and docs/configuration.md, so that none of them can drift.
type setting struct {
	key   string // The flag's name and the file's key; envName(key) is its environment variable.
	arg   string // What the value is, for the reference page: HOST:PORT, D, ...
	usage string
	bind  func(c *Config) settingValue // The setting's value in c.
}

// settingValue is a flag.Value that also says what it is in a file: a
// string, int64, float64, bool or []string, the TOML type of its key.
type settingValue interface {
	flag.Value
	fileValue() any
}

// settings are the settings of 'corridor hub', in the order they are documented.
var settings = []setting{
	{"data", "DIR", "data directory (made by 'corridor ca init'): ca/, the journal corridor.db, hub.addr, hub.lock; required",
		func(c *Config) settingValue { return (*stringValue)(&c.DataDir) }},
	{"addr", "HOST:PORT", "address the mTLS API listens on (:0 picks a port; see hub.addr)",
		func(c *Config) settingValue { return (*stringValue)(&c.Addr) }},
	{"ops-addr", "HOST:PORT", "address of the operations listener: /metrics, /healthz, /readyz, plain HTTP (empty: none)",
		func(c *Config) settingValue { return (*stringValue)(&c.OpsAddr) }},
	{"pprof", "BOOL", "also serve Go's runtime profiles at /debug/pprof/ on the operations listener, for capacity planning (they show the process's internals: keep the listener on a loopback or management address)",
		func(c *Config) settingValue { return (*boolValue)(&c.Pprof) }},
	{"store", "URL", "where the journal is: empty for DIR/corridor.db (SQLite), or a postgres:// URL that several hub nodes share, one active and the others standbys (see docs/high-availability.md)",
		func(c *Config) settingValue { return (*stringValue)(&c.Store) }},
	{"node", "NAME", "this node's name in the journal's lease (PostgreSQL only; default: host name and API port)",
		func(c *Config) settingValue { return (*stringValue)(&c.Node) }},
	{"advertise", "URL", "the API URL standbys send clients to while this node is active (default: https:// and --addr)",
		func(c *Config) settingValue { return (*stringValue)(&c.Advertise) }},
	{"lease-ttl", "D", "how long the active node's lease lasts unless renewed: a standby takes over about this long after the active node stops",
		func(c *Config) settingValue { return (*durationValue)(&c.LeaseTTL) }},
	{"log-format", "FORMAT", "log format on stderr: text or json",
		func(c *Config) settingValue { return (*stringValue)(&c.LogFormat) }},
	{"bic", "BIC", "the hub's own BIC: a pacs.009 to it defunds the sender",
		func(c *Config) settingValue { return (*stringValue)(&c.BIC) }},
	{"max-body-bytes", "N", "largest message accepted (413 beyond)",
		func(c *Config) settingValue { return (*int64Value)(&c.MaxBodyBytes) }},
	{"rate-limit", "N", "requests per second per participant (429 beyond)",
		func(c *Config) settingValue { return (*intValue)(&c.RateLimit) }},
	{"rate-burst", "N", "requests a participant may send at once above the rate",
		func(c *Config) settingValue { return (*intValue)(&c.RateBurst) }},
	{"screening-threshold", "F", "sanctions screening score at or above which a payment is held",
		func(c *Config) settingValue { return (*float64Value)(&c.ScreeningThreshold) }},
	{"four-eyes", "BOOL", "a compliance release needs two different operators",
		func(c *Config) settingValue { return (*boolValue)(&c.FourEyes) }},
	{"net-currency", "CCY", "settle this currency in deferred net cycles (repeatable); the others settle gross",
		func(c *Config) settingValue { return &listValue{p: &c.NetCurrencies} }},
	{"published-rate", "BOOL", "recorded for journals written before FX providers, whose payments converted at the published rate without a quote; a new payment always names a provider's quote",
		func(c *Config) settingValue { return (*boolValue)(&c.PublishedRate) }},
	{"quote-life", "D", "how long an FX quote stays live",
		func(c *Config) settingValue { return (*durationValue)(&c.QuoteLife) }},
	{"resolve-every", "D", "run gridlock resolution this often (0: only on demand)",
		func(c *Config) settingValue { return (*durationValue)(&c.ResolveEvery) }},
	{"cycle-every", "D", "close the net settlement cycle this often (0: only on demand)",
		func(c *Config) settingValue { return (*durationValue)(&c.CycleEvery) }},
	{"snapshot-every", "N", "snapshot the state every N journal entries, so that a start replays only the entries after the latest snapshot (0: off)",
		func(c *Config) settingValue { return (*int64Value)(&c.SnapshotEvery) }},
	{"retention", "D", "how long a payment stays in memory once every leg of its UETR is final; then the store archives it, and the tracker and the duplicate check read it there (0: keep every payment in memory). Returns and cancellations of an archived payment are refused",
		func(c *Config) settingValue { return (*durationValue)(&c.Retention) }},
	{"calendar", "FILE", "a business-day calendar file for one currency (repeatable; see docs/business-day.md)",
		func(c *Config) settingValue { return &calendarValue{c: c} }},
	{"day-open", "HH:MM", "local time a currency's first business day opens",
		func(c *Config) settingValue { return (*clockFlag)(&c.DayTimes.Open) }},
	{"customer-cutoff", "HH:MM", "local time of the cut-off for customer payments (pacs.008)",
		func(c *Config) settingValue { return (*clockFlag)(&c.DayTimes.CustomerCutoff) }},
	{"interbank-cutoff", "HH:MM", "local time of the cut-off for interbank payments and returns",
		func(c *Config) settingValue { return (*clockFlag)(&c.DayTimes.InterbankCutoff) }},
	{"day-close", "HH:MM", "local time of the end of day (statements; the next business day opens)",
		func(c *Config) settingValue { return (*clockFlag)(&c.DayTimes.Close) }},
}

// envName is the environment variable of the setting key: CORRIDOR_ADDR for addr.
func envName(key string) string {
	return "CORRIDOR_" + strings.ToUpper(strings.ReplaceAll(key, "-", "_"))
}

// bindFlags registers every setting on fs, bound to c.
func bindFlags(fs *flag.FlagSet, c *Config) {
	for _, s := range settings {
		v := s.bind(c)
		arg := "`" + s.arg + "`; " // The flag package prints it as the flag's argument.
		if _, isBool := v.fileValue().(bool); isBool {
			arg = ""
		}
		fs.Var(v, s.key, s.usage+" ("+arg+"env "+envName(s.key)+")")
	}
}

// applyEnv sets c from the settings' environment variables that lookup
// finds; a list's variable is comma-separated. It reports every bad value.
func applyEnv(c *Config, lookup func(string) (string, bool)) []error {
	var errs []error
	for _, s := range settings {
		v, ok := lookup(envName(s.key))
		if !ok {
			continue
		}
		val := s.bind(c)
		if _, list := val.fileValue().([]string); list {
			err := setList(val, splitList(v))
			errs = appendSettingErr(errs, envName(s.key), err)
			continue
		}
		errs = appendSettingErr(errs, envName(s.key), val.Set(v))
	}
	return errs
}

// splitList splits a comma-separated list; an empty string is an empty list.
func splitList(v string) []string {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	parts := strings.Split(v, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// setList replaces val's list with items.
func setList(val settingValue, items []string) error {
	if r, ok := val.(interface{ reset() }); ok {
		r.reset()
	}
	for _, it := range items {
		if err := val.Set(it); err != nil {
			return err
		}
	}
	return nil
}

// appendSettingErr appends err, when there is one, naming where it came from.
func appendSettingErr(errs []error, where string, err error) []error {
	if err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", where, err))
	}
	return errs
}

// The settings' values.
type (
	stringValue   string
	int64Value    int64
	intValue      int
	float64Value  float64
	boolValue     bool
	durationValue time.Duration
)

func (v *stringValue) Set(s string) error { *v = stringValue(s); return nil }
func (v *stringValue) String() string     { return string(*v) }
func (v *stringValue) fileValue() any     { return string(*v) }

func (v *int64Value) Set(s string) error {
	n, err := strconv.ParseInt(s, 10, 64)
	*v = int64Value(n)
	return numErr(s, err)
}
func (v *int64Value) String() string { return strconv.FormatInt(int64(*v), 10) }
func (v *int64Value) fileValue() any { return int64(*v) }

func (v *intValue) Set(s string) error {
	n, err := strconv.ParseInt(s, 10, strconv.IntSize)
	*v = intValue(n)
	return numErr(s, err)
}
func (v *intValue) String() string { return strconv.Itoa(int(*v)) }
func (v *intValue) fileValue() any { return int64(*v) }

func (v *float64Value) Set(s string) error {
	f, err := strconv.ParseFloat(s, 64)
	*v = float64Value(f)
	return numErr(s, err)
}
func (v *float64Value) String() string { return strconv.FormatFloat(float64(*v), 'g', -1, 64) }
func (v *float64Value) fileValue() any { return float64(*v) }

func (v *boolValue) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("%q is not true or false", s)
	}
	*v = boolValue(b)
	return nil
}
func (v *boolValue) String() string   { return strconv.FormatBool(bool(*v)) }
func (v *boolValue) fileValue() any   { return bool(*v) }
func (v *boolValue) IsBoolFlag() bool { return true }

func (v *durationValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 30s, 5m or 1h", s)
	}
	*v = durationValue(d)
	return nil
}

// String is the duration without its trailing zero units: 1h, not 1h0m0s.
func (v *durationValue) String() string {
	s := time.Duration(*v).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
func (v *durationValue) fileValue() any { return v.String() }

func (c *clockFlag) fileValue() any { return c.String() }

// numErr is strconv's err said briefly.
func numErr(s string, err error) error {
	if err != nil {
		return fmt.Errorf("%q is not a number in range", s)
	}
	return nil
}

// listValue is a repeatable setting. Its first Set from a source (the file,
// the environment, the flags) replaces the list an earlier source set.
type listValue struct {
	p   *[]string
	set bool
}

func (v *listValue) reset() { *v.p, v.set = nil, true }
func (v *listValue) Set(s string) error {
	if !v.set {
		v.reset()
	}
	*v.p = append(*v.p, s)
	return nil
}
func (v *listValue) String() string {
	if v == nil || v.p == nil {
		return ""
	}
	return strings.Join(*v.p, ",")
}
func (v *listValue) fileValue() any { return append([]string{}, *v.p...) }

// calendarValue is the repeatable calendar setting: each Set reads and
// parses one calendar file.
type calendarValue struct {
	c   *Config
	set bool
}

func (v *calendarValue) reset() { v.c.CalendarFiles, v.c.Calendars, v.set = nil, nil, true }
func (v *calendarValue) Set(path string) error {
	if !v.set {
		v.reset()
	}
	cal, err := loadCalendar(path)
	if err != nil {
		return err
	}
	v.c.CalendarFiles = append(v.c.CalendarFiles, path)
	v.c.Calendars = append(v.c.Calendars, cal)
	return nil
}
func (v *calendarValue) String() string {
	if v == nil || v.c == nil {
		return ""
	}
	return strings.Join(v.c.CalendarFiles, ",")
}
func (v *calendarValue) fileValue() any { return append([]string{}, v.c.CalendarFiles...) }

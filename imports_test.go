package corridor_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/corridor-network/corridor"

// The module's packages, by their path relative to the module.
const (
	root       = "."
	ledger     = "ledger"
	settlement = "settlement"
	iso20022   = "iso20022"
	screening  = "screening"
	assert     = "internal/assert"
	sqlite     = "sqlite"
	pki        = "pki"
	httpapi    = "httpapi"
	hub        = "hub"
	cmd        = "cmd/corridor"
	xsdgen     = "iso20022/internal/xsdgen"
	scenario   = "internal/scenario"
	unigen     = "screening/internal/unigen"
	metrics    = "metrics"
	postgres   = "postgres"
	storetest  = "internal/storetest"
	pgtest     = "internal/pgtest"
	crashpoint = "internal/crashpoint"
)

// The third-party modules the rules name.
const (
	sqliteDriver = "modernc.org/sqlite"
	goCmp        = "github.com/google/go-cmp"
	rapid        = "pgregory.net/rapid"
	goJOSE       = "github.com/go-jose/go-jose/v4"
	xtext        = "golang.org/x/text"
	prometheus   = "github.com/prometheus/client_golang"
	kinOpenAPI   = "github.com/getkin/kin-openapi"
	toml         = "github.com/BurntSushi/toml"
	pgx          = "github.com/jackc/pgx/v5"
)

// domain is what the system is: pure code that does no I/O.
var domain = []string{root, ledger, settlement, iso20022, screening}

// ioPackages are the standard packages that reach outside the process.
var ioPackages = []string{"os", "net", "net/http", "database/sql", "log", "log/slog",
	"crypto/tls", "os/exec", "io/fs", "path/filepath"}

// rules are the module's dependency rules (STYLE.md section 1). Every import
// must satisfy every rule that governs its package and kind of code. A
// package's external tests importing the package itself are not checked.
var rules = []rule{
	{"root-std-only", []string{root}, prod, std,
		"the root is what the system is: everything builds on it, and it builds on nothing but Go"},
	{"root-no-subpackage", []string{root}, anyCode, not(inModuleExcept(root)),
		"subpackages import the root, never the reverse, not even in the root's tests"},
	{"domain-no-io", domain, prod, not(stdIn(ioPackages...)),
		"the domain does no I/O, so it is deterministic: what it needs goes through root interfaces adapters implement"},
	{"domain-deps", []string{root, ledger, iso20022}, prod, oneOf(std, pkgIn(root, assert)),
		"a pure-domain package builds only on the standard library, the root and its assertions"},
	{"screening-deps", []string{screening}, prod, oneOf(std, pkgIn(root, assert), modIn(xtext)),
		"screening is pure domain too, and folds names with Unicode NFKC, whose tables only golang.org/x/text keeps in step with Unicode"},
	{"settlement-deps", []string{settlement}, prod, oneOf(std, pkgIn(root, assert, ledger)),
		"settlement is pure domain too, and posts what it settles to the ledger"},
	{"domain-tests-pure", domain, test, oneOf(std, modIn(goCmp, rapid), pkgIn(slices.Concat(domain, []string{assert, scenario})...)),
		"the domain's tests run it alone, in process: no adapter, no store, no network"},
	{"assert-pure", []string{assert}, anyCode, both(std, not(stdIn(ioPackages...))),
		"the domain imports internal/assert, so it is as pure as the domain"},
	{"sqlite-no-adapter", []string{sqlite}, anyCode, not(pkgIn(pki, httpapi, hub, postgres)),
		"adapters never import each other or hub: they meet in cmd/ and talk in root types"},
	{"postgres-no-adapter", []string{postgres}, anyCode, not(pkgIn(sqlite, pki, httpapi, hub)),
		"adapters never import each other or hub: they meet in cmd/ and talk in root types"},
	{"pki-no-adapter", []string{pki}, anyCode, not(pkgIn(sqlite, httpapi, hub, postgres)),
		"adapters never import each other or hub: they meet in cmd/ and talk in root types"},
	{"httpapi-no-adapter", []string{httpapi}, anyCode, not(pkgIn(sqlite, postgres)),
		"adapters never import each other; httpapi alone may use pki (its mTLS identities) and hub (what it serves)"},
	{"hub-deps", []string{hub}, prod, oneOf(std, pkgIn(root, ledger, settlement, iso20022, screening, assert, crashpoint)),
		"hub drives the domain, and reaches the store and the network only through root interfaces (crashpoint: the inert kill switch of the crash tests)"},
	{"hub-test-deps", []string{hub}, test, oneOf(std, modIn(goCmp, rapid),
		pkgIn(root, ledger, settlement, iso20022, screening, assert, scenario, sqlite, httpapi)),
		"hub's tests run it on the real store and behind the real API, as STYLE.md section 9 asks"},
	{"metrics-deps", []string{metrics}, prod, oneOf(std, pkgIn(root, hub, settlement), modIn(prometheus)),
		"metrics translates hub.Stats and the hooks of hub, sqlite and httpapi to Prometheus; it imports no adapter, and they none of it"},
	{"adapters-no-metrics", []string{sqlite, postgres, pki, httpapi, hub}, anyCode, not(pkgIn(metrics)),
		"the adapters and hub report through hooks and hub.Stats, so that Prometheus stays out of them"},
	{"crashpoint-std-only", []string{crashpoint}, anyCode, std,
		"the crash points sit in the hub's and the adapters' hot paths, so they build on nothing but Go"},
	{"crashpoint-not-in-domain", domain, anyCode, not(pkgIn(crashpoint)),
		"the domain is deterministic and does no I/O; a crash point belongs where the hub writes, answers and delivers"},
	{"scenario-std-only", []string{scenario}, anyCode, std,
		"the scenario runner reads test files and nothing else"},
	{"scenario-only-in-tests", nil, prod, not(pkgIn(scenario)),
		"the scenario runner is a test helper: production code never imports it"},
	{"storetest-deps", []string{storetest}, anyCode, oneOf(std, pkgIn(root), modIn(goCmp)),
		"the stores' contract suite runs a store through root types only, so one suite serves every store and imports none"},
	{"pgtest-deps", []string{pgtest}, anyCode, oneOf(std, modIn(pgx)),
		"the PostgreSQL test harness starts a server and creates databases; it knows nothing of the store"},
	{"test-helpers-only-in-tests", nil, prod, not(pkgIn(storetest, pgtest)),
		"the contract suite and the PostgreSQL harness are test helpers: production code never imports them"},
	{"xsdgen-std-only", []string{xsdgen}, anyCode, std,
		"the schema compiler is a stand-alone program, so go generate needs nothing but Go"},
	{"unigen-std-only", []string{unigen}, anyCode, std,
		"the Unicode table generator is a stand-alone program, so go generate needs nothing but Go"},
	{"nothing-imports-cmd", nil, anyCode, not(under("cmd")),
		"cmd/ holds the wiring, flags and config; nothing imports it"},
	{"third-party-prod", nil, prod, oneOf(std, inModule, modIn(sqliteDriver), both(modIn(xtext), from(screening)), both(modIn(prometheus), from(metrics)), both(modIn(toml), from(cmd)),
		both(modIn(pgx), oneOf(from(postgres), from(pgtest))), both(modIn(goCmp), from(storetest))),
		"dependencies are few: in production, the SQLite driver, pgx in postgres/ (and the test harness internal/pgtest) for the shared store, go-cmp in the contract suite (test code that lives outside _test files), golang.org/x/text for screening's Unicode normalisation, the Prometheus client in metrics/ only, and BurntSushi/toml in cmd/corridor only, to read the hub's configuration file strictly (MetaData.Undecoded)"},
	{"sqlite-driver-only-in-sqlite", nil, prod, oneOf(not(modIn(sqliteDriver)), from(sqlite)),
		"the store adapter is named for its dependency, and only it uses the driver"},
	{"pgx-only-in-postgres", nil, anyCode, oneOf(not(modIn(pgx)), from(postgres), from(pgtest)),
		"the PostgreSQL store is named for its dependency, and only it (and its test harness) speaks to the server"},
	{"third-party-test", nil, test, oneOf(std, inModule, modIn(goCmp, rapid), both(from(pki), modIn(goJOSE)), both(from(httpapi), modIn(kinOpenAPI)), both(from(postgres), modIn(pgx))),
		"tests use go-cmp for diffs and rapid for properties, no assertion library; pki's alone go-jose, to check its JWS against an independent implementation; httpapi's alone kin-openapi, to validate docs/openapi.yaml with a real OpenAPI library"},
}

// wiring are the packages that only the module-wide rules govern: cmd/corridor
// is where the adapters meet, so it may import any package but cmd/.
var wiring = []string{cmd}

// exceptions are imports that break a rule on purpose, each with its reason.
// One that no longer matches an import fails the test, so none outlives its
// need.
var exceptions = []exception{
	// httpapi's end-to-end tests run the real hub on the real SQLite journal
	// behind the real server (STYLE.md section 9: the real dependency wherever
	// it is cheap); its production code never sees the store.
	{httpapi, sqlite, test, "httpapi-no-adapter"},
}

// TestImports checks every import of every package of the module, in its
// production and its test code, against rules.
func TestImports(t *testing.T) {
	pkgs := mustListPackages(t)
	broken, used := check(pkgs)
	for _, v := range broken {
		t.Error(v)
	}
	for _, msg := range checkTable(pkgs, used) {
		t.Error(msg)
	}
}

// codeKind says which of a package's files an import comes from.
type codeKind int

const (
	prod    codeKind = 1 << iota // The package's own files.
	test                         // Its _test.go files, internal and external.
	anyCode = prod | test
)

func (k codeKind) String() string {
	if k == prod {
		return "production"
	}
	return "test"
}

// rule is one dependency rule: every import of the code it covers, in each
// package it governs, must satisfy allow.
type rule struct {
	name  string
	pkgs  []string // The packages governed, relative to the module; nil for every package.
	code  codeKind
	allow pred
	why   string
}

// governs reports whether r applies to code of kind k in package rel.
func (r rule) governs(rel string, k codeKind) bool {
	return r.code&k != 0 && (r.pkgs == nil || slices.Contains(r.pkgs, rel))
}

// exception lets pkg's code of one kind import imp in spite of a rule.
type exception struct {
	pkg, imp string // Relative to the module, where they are in it.
	code     codeKind
	rule     string
}

// imp is one import, from one package of the module.
type imp struct {
	path string // The import path.
	rel  string // Relative to the module; "" when outside it.
	std  bool   // In the standard library.
	from string // The importing package, relative to the module.
}

// pred reports whether an import is allowed.
type pred func(imp) bool

func std(i imp) bool      { return i.std }
func inModule(i imp) bool { return i.rel != "" }
func not(p pred) pred     { return func(i imp) bool { return !p(i) } }
func both(p, q pred) pred { return func(i imp) bool { return p(i) && q(i) } }
func from(rel string) pred {
	return func(i imp) bool { return i.from == rel }
}

// oneOf allows what any of preds allows.
func oneOf(preds ...pred) pred {
	return func(i imp) bool {
		return slices.ContainsFunc(preds, func(p pred) bool { return p(i) })
	}
}

// stdIn matches the standard packages paths.
func stdIn(paths ...string) pred {
	return func(i imp) bool { return i.std && slices.Contains(paths, i.path) }
}

// pkgIn matches the module's packages rels.
func pkgIn(rels ...string) pred {
	return func(i imp) bool { return i.rel != "" && slices.Contains(rels, i.rel) }
}

// inModuleExcept matches the module's packages but rels.
func inModuleExcept(rels ...string) pred {
	return both(inModule, not(pkgIn(rels...)))
}

// under matches the module's packages in directory dir and below it.
func under(dir string) pred {
	return func(i imp) bool { return i.rel == dir || strings.HasPrefix(i.rel, dir+"/") }
}

// modIn matches the packages of the third-party modules mods.
func modIn(mods ...string) pred {
	return func(i imp) bool {
		return slices.ContainsFunc(mods, func(m string) bool { return i.path == m || strings.HasPrefix(i.path, m+"/") })
	}
}

// listed is what go list says of one package.
type listed struct {
	ImportPath   string
	Standard     bool
	ForTest      string // Set on the variants go list makes to test a package.
	Imports      []string
	TestImports  []string
	XTestImports []string
}

// packages are the module's packages, by path relative to the module, and
// the standard packages they and their tests depend on.
type packages struct {
	mod map[string]listed
	std map[string]bool
}

// mustListPackages runs go list once, over the module's packages and
// everything they and their tests depend on. It sees the default build:
// files behind a build tag (ledger's invariants_on.go) are not checked.
func mustListPackages(tb testing.TB) packages {
	tb.Helper()
	list := exec.Command("go", "list", "-deps", "-test",
		"-json=ImportPath,Standard,ForTest,Imports,TestImports,XTestImports", "./...")
	var stderr bytes.Buffer
	list.Stderr = &stderr
	out, err := list.Output()
	if err != nil {
		tb.Fatalf("go list: %v\n%s", err, stderr.Bytes())
	}
	pkgs, err := parsePackages(bytes.NewReader(out))
	if err != nil {
		tb.Fatalf("go list: %v", err)
	}
	return pkgs
}

// parsePackages reads go list -json's stream of packages.
func parsePackages(r io.Reader) (packages, error) {
	pkgs := packages{mod: map[string]listed{}, std: map[string]bool{}}
	dec := json.NewDecoder(r)
	for {
		var p listed
		err := dec.Decode(&p)
		if errors.Is(err, io.EOF) {
			return pkgs, nil
		}
		if err != nil {
			return packages{}, err
		}
		rel := relOf(p.ImportPath)
		switch {
		case p.Standard:
			pkgs.std[p.ImportPath] = true
		case rel != "" && p.ForTest == "" && !strings.HasSuffix(rel, ".test"):
			pkgs.mod[rel] = p
		}
	}
}

// relOf returns path relative to the module, "." for the root, or "" when
// path is outside the module.
func relOf(path string) string {
	if path == module {
		return root
	}
	rel, ok := strings.CutPrefix(path, module+"/")
	if !ok {
		return ""
	}
	return rel
}

// pathOf returns the import path of the module's package rel.
func pathOf(rel string) string {
	if rel == root {
		return module
	}
	return module + "/" + rel
}

// violation is an import that breaks a rule.
type violation struct {
	imp  imp
	code codeKind
	rule rule
}

func (v violation) String() string {
	return fmt.Sprintf("%s: %s code imports %s, which breaks rule %s: %s",
		pathOf(v.imp.from), v.code, v.imp.path, v.rule.name, v.rule.why)
}

// check returns the imports of pkgs that break a rule, without those that
// exceptions excuse, and which exceptions excused any.
func check(pkgs packages) (broken []violation, used map[exception]bool) {
	used = map[exception]bool{}
	for _, rel := range slices.Sorted(maps.Keys(pkgs.mod)) {
		p := pkgs.mod[rel]
		tests := slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(p.TestImports), p.XTestImports...))))
		for _, v := range append(violations(pkgs, rel, prod, p.Imports), violations(pkgs, rel, test, tests)...) {
			if e, ok := excused(v); ok {
				used[e] = true
				continue
			}
			broken = append(broken, v)
		}
	}
	return broken, used
}

// violations returns the rules that the imports paths of package rel's code
// of kind k break. A test importing its own package is no dependency.
func violations(pkgs packages, rel string, k codeKind, paths []string) []violation {
	var out []violation
	for _, path := range paths {
		i := imp{path: path, rel: relOf(path), std: pkgs.std[path], from: rel}
		if i.rel == rel {
			continue
		}
		for _, r := range rules {
			if r.governs(rel, k) && !r.allow(i) {
				out = append(out, violation{i, k, r})
			}
		}
	}
	return out
}

// excused returns the exception that allows v, if one does.
func excused(v violation) (exception, bool) {
	for _, e := range exceptions {
		target := v.imp.rel
		if target == "" {
			target = v.imp.path
		}
		if e.pkg == v.imp.from && e.imp == target && e.code == v.code && e.rule == v.rule.name {
			return e, true
		}
	}
	return exception{}, false
}

// checkTable returns what is wrong with the rules themselves: a package that
// no rule governs, a rule or exception naming a package the module does not
// have, and an exception that no import needs any more.
func checkTable(pkgs packages, used map[exception]bool) []string {
	var problems []string
	named := slices.Clone(wiring)
	for _, r := range rules {
		named = append(named, r.pkgs...)
	}
	for _, e := range exceptions {
		named = append(named, e.pkg)
		if !used[e] {
			problems = append(problems, fmt.Sprintf("exception %s %s code importing %s from rule %s matches no import: remove it",
				pathOf(e.pkg), e.code, e.imp, e.rule))
		}
	}
	for _, rel := range slices.Sorted(maps.Keys(pkgs.mod)) {
		if !slices.Contains(named, rel) {
			problems = append(problems, fmt.Sprintf("%s is governed by no rule of its own: add it to rules or wiring", pathOf(rel)))
		}
	}
	for _, rel := range slices.Compact(slices.Sorted(slices.Values(named))) {
		if _, ok := pkgs.mod[rel]; !ok {
			problems = append(problems, fmt.Sprintf("the rules name %s, which the module does not have", pathOf(rel)))
		}
	}
	return problems
}

// TestImportRules feeds check one import at a time and wants exactly the
// rules it breaks, so a rule that allows everything cannot pass unseen.
func TestImportRules(t *testing.T) {
	tests := []struct {
		from string
		code codeKind
		imp  string // A path relative to the module, or a full import path outside it.
		want []string
	}{
		{ledger, prod, "os", []string{"domain-no-io"}},
		{settlement, prod, "net/http", []string{"domain-no-io"}},
		{iso20022, prod, "fmt", nil},
		{root, prod, ledger, []string{"domain-deps", "root-no-subpackage", "root-std-only"}},
		{root, test, ledger, []string{"root-no-subpackage"}},
		{root, test, "os", nil},
		{settlement, prod, ledger, nil},
		{iso20022, prod, ledger, []string{"domain-deps"}},
		{screening, prod, "github.com/acme/fuzzy", []string{"screening-deps", "third-party-prod"}},
		{screening, prod, xtext + "/unicode/norm", nil},
		{ledger, prod, xtext + "/unicode/norm", []string{"domain-deps", "third-party-prod"}},
		{hub, prod, xtext + "/unicode/norm", []string{"hub-deps", "third-party-prod"}},
		{screening, test, xtext + "/unicode/norm", []string{"domain-tests-pure", "third-party-test"}},
		{unigen, prod, "os", nil},
		{unigen, prod, screening, []string{"unigen-std-only"}},
		{screening, test, sqlite, []string{"domain-tests-pure"}},
		{ledger, test, goCmp + "/cmp", nil},
		{ledger, test, settlement, nil},
		{assert, prod, "os", []string{"assert-pure"}},
		{assert, prod, root, []string{"assert-pure"}},
		{sqlite, prod, httpapi, []string{"sqlite-no-adapter"}},
		{sqlite, prod, sqliteDriver, nil},
		{sqlite, test, sqliteDriver + "/lib", []string{"third-party-test"}},
		{pki, prod, hub, []string{"pki-no-adapter"}},
		{httpapi, prod, pki, nil},
		{httpapi, prod, hub, nil},
		{httpapi, prod, sqlite, []string{"httpapi-no-adapter"}},
		{httpapi, test, sqlite, nil}, // Excepted.
		{hub, prod, sqlite, []string{"hub-deps"}},
		{hub, prod, sqliteDriver, []string{"hub-deps", "sqlite-driver-only-in-sqlite"}},
		{hub, test, httpapi, nil},
		{hub, test, pki, []string{"hub-test-deps"}},
		{sqlite, test, cmd, []string{"nothing-imports-cmd"}},
		{hub, test, "cmd/other", []string{"hub-test-deps", "nothing-imports-cmd"}},
		{cmd, prod, sqlite, nil},
		{cmd, prod, "github.com/acme/cli", []string{"third-party-prod"}},
		{pki, test, "github.com/acme/assert", []string{"third-party-test"}},
		{pki, test, goJOSE, nil},
		{pki, prod, goJOSE, []string{"third-party-prod"}},
		{httpapi, test, goJOSE + "/jwt", []string{"third-party-test"}},
		{root, test, goJOSE, []string{"domain-tests-pure", "third-party-test"}},
		{xsdgen, prod, root, []string{"xsdgen-std-only"}},
		{postgres, prod, pgx + "/pgxpool", nil},
		{postgres, test, pgx, nil},
		{pgtest, prod, pgx, nil},
		{sqlite, prod, pgx, []string{"pgx-only-in-postgres", "third-party-prod"}},
		{hub, test, pgx, []string{"hub-test-deps", "pgx-only-in-postgres", "third-party-test"}},
		{postgres, prod, sqlite, []string{"postgres-no-adapter"}},
		{sqlite, test, postgres, []string{"sqlite-no-adapter"}},
		{httpapi, prod, postgres, []string{"httpapi-no-adapter"}},
		{sqlite, test, storetest, nil},
		{postgres, test, pgtest, nil},
		{cmd, prod, storetest, []string{"test-helpers-only-in-tests"}},
		{storetest, prod, sqlite, []string{"storetest-deps"}},
		{storetest, prod, goCmp + "/cmp", nil},
		{pgtest, prod, postgres, []string{"pgtest-deps"}},
		{hub, prod, crashpoint, nil},
		{sqlite, prod, crashpoint, nil},
		{ledger, prod, crashpoint, []string{"crashpoint-not-in-domain", "domain-deps"}},
		{crashpoint, prod, root, []string{"crashpoint-std-only"}},
	}
	std := map[string]bool{"os": true, "net/http": true, "fmt": true}
	for _, tt := range tests {
		path := tt.imp
		if path == root || !std[path] && !strings.Contains(path, ".") {
			path = pathOf(path)
		}
		p := listed{ImportPath: pathOf(tt.from)}
		if tt.code == prod {
			p.Imports = []string{path}
		} else {
			p.XTestImports = []string{path}
		}
		broken, _ := check(packages{mod: map[string]listed{tt.from: p}, std: std})
		var got []string
		for _, v := range broken {
			got = append(got, v.rule.name)
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s %s code importing %s breaks %q; want %q", pathOf(tt.from), tt.code, path, got, tt.want)
		}
	}
}

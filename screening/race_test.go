//go:build race

package screening_test

// raceEnabled is true under the race detector, which makes screening about
// ten times slower: tests that screen every labelled name take a sample.
const raceEnabled = true

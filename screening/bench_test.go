package screening_test

import (
	"testing"

	"github.com/corridor-network/corridor/screening"
)

// benchParties mix listed names, their variants and ordinary names, as a
// payment flow would: most parties are not listed.
var benchParties = []screening.Party{
	{Name: "Rajesh Kumar Sharma Textiles Pvt Ltd", Country: "IN"},
	{Name: "ООО «Ромашка»", Country: "RU"},
	{Name: "Sergei Vladimirovich Kuznetsov", Country: "RU", DateOfBirth: "1971-03-02"},
	{Name: "Igor Sechin", Country: "RU"},
	{Name: "Priya Venkataraman", Country: "IN"},
	{Name: "Публичное акционерное общество Банк Рассвет", Country: "RU"},
	{Name: "Bank Maskan"},
	{Name: "Gupta Steel Exports Private Limited", Country: "IN"},
	{Name: "Vladimir Yakunin", Country: "RU"},
	{Name: "Saddam Husein al-Tikriti"},
	{Name: "Ravi Iyer", Country: "IN"},
	{Name: "Техносервис АО", Country: "RU"},
}

// BenchmarkScreen screens parties against every sample list, without the
// cache (its 12 parties would all be cached: BenchmarkScreenCached measures
// that); it reports parties per second, and how many of the indexed names
// the index let it score per party (the prefilter at work).
func BenchmarkScreen(b *testing.B) {
	s := mustSampleScreener(b)
	b.ReportAllocs()
	b.ResetTimer()
	compared := 0
	for i := 0; i < b.N; i++ {
		compared += s.ScreenUncached(benchParties[i%len(benchParties)]).Compared
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "parties/s")
	b.ReportMetric(float64(compared)/float64(b.N), "names-scored/party")
	b.ReportMetric(float64(s.Names()), "names-indexed")
}

// cachedBenchParties are 1,000 parties from the labelled set (positives
// and negatives spread over it), each name in two roles, as a payment flow
// repeats its debtors and creditors.
func cachedBenchParties(tb testing.TB) []screening.Party {
	tb.Helper()
	pos, neg := mustReadLabelled(tb, positivesFile), mustReadLabelled(tb, negativesFile)
	out := make([]screening.Party, 0, 1000)
	for i := range 500 {
		out = append(out, screening.Party{Name: pos[i*len(pos)/500].name, Role: screening.RoleDebtor})
		out = append(out, screening.Party{Name: neg[i*len(neg)/500].name, Role: screening.RoleCreditor})
	}
	for i := range out[:len(out)/2] { // Half of the names again, in the other role.
		out[len(out)/2+i].Name, out[len(out)/2+i].Role = out[i].Name, screening.RoleUltimateCreditor
	}
	return out
}

// BenchmarkScreenCached screens the same 1,000 parties over and over: what
// the Screener's result cache saves when parties repeat across payments.
func BenchmarkScreenCached(b *testing.B) {
	s, parties := mustSampleScreener(b), cachedBenchParties(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Screen(parties[i%len(parties)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "parties/s")
}

// BenchmarkScreenCachedParallel is BenchmarkScreenCached from GOMAXPROCS
// goroutines, as the API's handlers share one Screener: the cache's lock
// at work.
func BenchmarkScreenCachedParallel(b *testing.B) {
	s, parties := mustSampleScreener(b), cachedBenchParties(b)
	for _, p := range parties {
		s.Screen(p)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			s.Screen(parties[i%len(parties)])
		}
	})
}

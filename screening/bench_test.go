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

// BenchmarkScreen screens parties against every sample list; it reports
// parties per second, and how many of the indexed names the index let it
// score per party (the prefilter at work).
func BenchmarkScreen(b *testing.B) {
	s := mustSampleScreener(b)
	b.ReportAllocs()
	b.ResetTimer()
	compared := 0
	for i := 0; i < b.N; i++ {
		compared += s.Screen(benchParties[i%len(benchParties)]).Compared
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "parties/s")
	b.ReportMetric(float64(compared)/float64(b.N), "names-scored/party")
	b.ReportMetric(float64(s.Names()), "names-indexed")
}

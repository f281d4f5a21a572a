package screening_test

import (
	"strings"
	"testing"

	"github.com/corridor-network/corridor/screening"
)

// ownList is an operator's list of a few persons named with patronymics,
// the way OFAC writes them.
const ownList = `id,kind,name,aliases,country,dob,bic
S1,individual,"SHCHERBAKOV, Igor Petrovich",,RU,,
S2,individual,"TURCHYNOV, Oleksandr Valentynovych",,UA,,
S3,individual,"KUZNETSOVA, Natalya Sergeyevna",,RU,,
S4,individual,"SMITH, John William",,GB,,
S5,entity,"Petrovich Trading House",,RU,,
`

func mustOwnScreener(tb testing.TB) *screening.Screener {
	tb.Helper()
	own, err := screening.LoadCSV("own", []byte(ownList))
	if err != nil {
		tb.Fatal(err)
	}
	s, err := screening.NewScreener(screening.Config{}, append(mustLists(tb), own)...)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// TestPatronymicLeftOut: a payment naming a person by given name and
// surname holds against the listed name with a patronymic or middle name;
// another given name or another patronymic does not.
func TestPatronymicLeftOut(t *testing.T) {
	s := mustOwnScreener(t)
	tests := []struct {
		party, entry string
		hold         bool
	}{
		{"Igor Shcherbakov", "S1", true},
		{"Shcherbakov Igor", "S1", true},
		{"Щербаков Игорь", "S1", true},
		{"Игорь Петрович Щербаков", "S1", true},
		{"Ihor Shcherbakov", "S1", true},   // Ukrainian spelling of Igor.
		{"Александр Турчинов", "S2", true}, // Russian spelling of a Ukrainian name.
		{"Aleksandr Valentinovich Turchinov", "S2", true},
		{"Natalia Kuznetsova", "S3", true},
		{"John Smith", "S4", true},                  // A middle name left out.
		{"Dmitry Rogozin", "16649", true},           // ROGOZIN, Dmitry Olegovich (OFAC).
		{"Valentina Matviyenko", "16660", true},     // MATVIYENKO, Valentina Ivanovna.
		{"Sergei Shcherbakov", "S1", false},         // Another given name.
		{"Igor Ivanovich Shcherbakov", "S1", false}, // Another patronymic.
		{"Petrovich Shcherbakov", "S1", false},      // No given name.
		{"Igor Petrovich", "S1", false},             // No surname.
		{"Petrovich Trading", "S5", false},          // An entity's words are never left out.
		{"William Smith", "S4", false},              // The given name is not a middle name.
	}
	for _, tt := range tests {
		r := s.Screen(screening.Party{Name: tt.party})
		held := r.Hold && len(r.Hits) > 0 && r.Hits[0].EntryID == tt.entry
		if held != tt.hold {
			t.Errorf("Screen(%q) holds on %s: %v; want %v (%s)", tt.party, tt.entry, held, tt.hold, best(s, tt.party))
		}
		if held && strings.Count(r.Hits[0].Why, "left out") > 1 {
			t.Errorf("Screen(%q) left out more than one word: %s", tt.party, r.Hits[0].Why)
		}
	}
}

// TestGivenNames: the Russian, Ukrainian and Belarusian forms of a given
// name or patronymic share a key; different names do not.
func TestGivenNames(t *testing.T) {
	same := [][]string{
		{"Aleksandr", "Oleksandr", "Aliaksandr", "Александр", "Олександр"},
		{"Nikolay", "Mykola", "Mikalai", "Николай", "Микола"},
		{"Sergey", "Serhiy", "Siarhei", "Сергій"},
		{"Vladimir", "Volodymyr", "Uladzimir"},
		{"Yevgeniy", "Evgenii", "Jevgenij", "Yevhen", "Yauhen"},
		{"Nikolaevich", "Mykolaiovych", "Николаевич"},
		{"Vladimirovich", "Volodymyrovych"},
		{"Sergeyevna", "Serhiivna"},
	}
	for _, g := range same {
		want := screening.Keys(g[0])[0]
		for _, n := range g[1:] {
			if !strings.Contains(" "+strings.Join(screening.Keys(n), " ")+" ", " "+want+" ") {
				t.Errorf("Keys(%q) = %q; want %q (the key of %q) among them", n, screening.Keys(n), want, g[0])
			}
		}
	}
	for _, pair := range [][2]string{{"Valentin", "Valentina"}, {"Petr", "Pavel"}, {"Nikolaevich", "Nikolaevna"}, {"Valentinovich", "Valentinovna"}} {
		if a, b := screening.Keys(pair[0])[0], screening.Keys(pair[1])[0]; a == b {
			t.Errorf("%s and %s share the key %q", pair[0], pair[1], a)
		}
	}
}

func TestUkrainian(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Олександр", "Oleksandr"}, {"Юрій", "Yurii"}, {"Григорій", "Hryhorii"}, {"Євген", "Yevhen"},
		{"Сергій", "Serhii"}, {"Янукович", "Yanukovych"}, {"Ярослава", "Yaroslava"}, {"Зінаїда", "Zinaida"},
	}
	for _, tt := range tests {
		if got := screening.Cyrillic(tt.in, screening.Ukrainian); got != tt.want {
			t.Errorf("Cyrillic(%q, Ukrainian) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

package screening_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/corridor-network/corridor/screening"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{`ООО "Ромашка"`, "romashka"},
		{"ООО «Ромашка»", "romashka"},
		{"Romashka, OOO", "romashka"},
		{"Rosneft Oil Company PJSC", "rosneft oil"},
		{"ПАО НК Роснефть", "oil rosneft"},
		{"Sharma Steel Pvt. Ltd.", "sharma steel"},
		{"Sharma Steel Private Limited", "sharma steel"},
		{"OPEN JOINT-STOCK COMPANY 'KONTSERN IZHMASH'", "kontsern izhmash"},
		{"Obshchestvo s Ogranichennoy Otvetstvennostyu Transoil", "transoil"},
		{"COMPLEJO TURISTICO OASIS, S.A. DE C.V.", "complejo turistico oasis"},
		{"SADDAM HUSSEIN AL-TIKRITI", "saddam hussein tikriti"},
		{"Ščerbakov", "shcherbakov"},
		{"François Müller-Lüdenscheidt", "francois muller ludenscheidt"},
		{"MURADOV, Georgiy L'vovich", "muradov georgiy lvovich"},
		{"Bank Melli", "bank melli"}, // bank is kept (a generic word, weighted down).
		{"Limited", "limited"},       // Nothing but a legal form: kept.
		{"Mr Omari", "omari"},
		{"Shri Rahul Sharma", "rahul sharma"},
	}
	for _, tt := range tests {
		if got := screening.Normalize(tt.in); len(got) == 0 || got[0] != tt.want {
			t.Errorf("Normalize(%q) = %q; want first %q", tt.in, got, tt.want)
		}
	}
}

func TestTransliterate(t *testing.T) {
	tests := []struct {
		in   string
		sys  screening.System
		want string
	}{
		{"Щербаков", screening.BGN, "Shcherbakov"},
		{"Щербаков", screening.GOST, "Shherbakov"},
		{"Щербаков", screening.Common, "Scherbakov"},
		{"Хрущёв", screening.BGN, "Khrushchev"},
		{"Хрущёв", screening.GOST, "Xrushhyov"},
		{"Юлия", screening.ICAO, "Iuliia"},
		{"Юлия", screening.BGN, "Yuliya"},
		{"Цветков", screening.BGN, "Tsvetkov"},
		{"Евгений", screening.Common, "Yevgeniy"},
		{"Андреевич", screening.Common, "Andreyevich"},
		{"Жуков", screening.Scientific, "Zukov"},
		{"Наталья", screening.BGN, "Natalya"},
	}
	for _, tt := range tests {
		if got := screening.Cyrillic(tt.in, tt.sys); got != tt.want {
			t.Errorf("Cyrillic(%q, %d) = %q; want %q", tt.in, tt.sys, got, tt.want)
		}
	}
	deva := []struct{ in, want string }{
		{"राम", "ram"}, {"शर्मा", "sharma"}, {"कुमार", "kumar"}, {"अग्रवाल", "agraval"},
		{"लक्ष्मी", "lakshmi"}, {"दीपक", "dipak"}, {"ज़ैदी", "zaidi"}, {"सिंह", "sinh"},
		{"ज्ञानेश्वर", "gyaneshvar"}, {"कॅप्टन", "keptan"},
	}
	for _, tt := range deva {
		if got := screening.Devanagari(tt.in); got != tt.want {
			t.Errorf("Devanagari(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
	if got := screening.Arabic("صدام حسين التكريتي"); got != "sdam hsyn al tkryty" {
		t.Errorf("Arabic = %q", got)
	}
	if got := screening.Arabic("پرویز مشرّف ٹھاکر ۱۹۴۳"); got != "prwyz mshrf thakr 1943" {
		t.Errorf("Arabic(Urdu) = %q", got)
	}
	if got := screening.Arabic("عمر العمري"); got != "amr al amry" {
		t.Errorf("Arabic(عمر العمري) = %q; want amr al amry", got)
	}
}

// TestKeysCollide checks that the spellings of one name share a phonetic key.
func TestKeysCollide(t *testing.T) {
	groups := [][]string{
		{"Щербаков", "Shcherbakov", "Scherbakov", "Sherbakov", "Ščerbakov", "Shherbakov"},
		{"Хохлов", "Khokhlov", "Hohlov"},
		{"Юрий", "Yuriy", "Yury", "Iurii", "Jurij", "Yuri"},
		{"Евгений", "Evgeniy", "Yevgeny", "Evgenii", "Jevgenij"},
		{"Алексей", "Aleksei", "Alexei", "Aleksey", "Alexey", "Aleksej"},
		{"Вячеслав", "Vyacheslav", "Viacheslav", "Vjacheslav"},
		{"Фёдоров", "Fyodorov", "Fedorov", "Fjodorov"},
		{"Цветков", "Tsvetkov", "Cvetkov", "Tzvetkov", "Tcvetkov"},
		{"Щербаков", "Ŝerbakov"}, // ISO 9.
		{"Андреевич", "Andreevich", "Andreyevich", "Andrejevich"},
		{"Agarwal", "Aggarwal", "Agarwaal"},
		{"Deepak", "Dipak"},
		{"Hussein", "Husein"},
	}
	for _, g := range groups {
		var want string
		for i, name := range g {
			keys := screening.Keys(name)
			if i == 0 {
				want = keys[0]
				continue
			}
			if !slices.Contains(keys, want) && !slices.ContainsFunc(screening.Keys(g[0]), func(k string) bool { return slices.Contains(keys, k) }) {
				t.Errorf("Keys(%q) = %q; want one of %q (the key of %q)", name, keys, screening.Keys(g[0]), g[0])
			}
		}
	}
	if a, b := screening.Keys("Korolev"), screening.Keys("Korobov"); a[0] == b[0] {
		t.Errorf("Korolev and Korobov share the key %q", a[0])
	}
	if k := strings.Join(screening.Keys("Щербаков"), ","); !strings.Contains(k, "1erbakov") {
		t.Errorf("Keys(Щербаков) = %q; want 1erbakov among them", k)
	}
}

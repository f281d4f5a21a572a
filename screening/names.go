package screening

import "strings"

// givenNames are East Slavic given names in their Russian, Ukrainian and
// Belarusian forms (and a few common spellings the phonetic key does not
// already merge): one person is Aleksandr in a Russian document, Oleksandr
// in a Ukrainian one and Aliaksandr in a Belarusian one. The words of one
// group share the phonetic key of the first, so they match as one name. The
// Russian form comes first, romanised BGN/PCGN.
var givenNames = [][]string{
	{"aleksandr", "oleksandr", "aliaksandr", "alyaksandr", "alexander", "oleksander"},
	{"aleksandra", "oleksandra", "aliaksandra", "alyaksandra"},
	{"aleksey", "oleksiy", "oleksii", "aliaksei", "alyaksey"},
	{"anatoliy", "anatol"},
	{"andrey", "andriy", "andrii", "andrei"},
	{"anna", "hanna", "ganna"},
	{"arkadiy", "arkadz"},
	{"boris", "borys", "barys"},
	{"bogdan", "bohdan", "bahdan"},
	{"vadim", "vadym", "vadzim"},
	{"valentin", "valentyn", "valiantsin"},
	{"valentina", "valentyna", "valiantsina"},
	{"valeriy", "valer"},
	{"vasiliy", "vasyl", "vasil"},
	{"viktor", "viktar"},
	{"vitaliy", "vital"},
	{"vladimir", "volodymyr", "uladzimir", "vladzimir"},
	{"vladislav", "vladyslav", "uladzislau"},
	{"vyacheslav", "viacheslav", "viachaslau"},
	{"galina", "halyna", "halina"},
	{"gennadiy", "hennadiy", "henadz", "genadz"},
	{"georgiy", "heorhiy", "heorhii"},
	{"grigoriy", "hryhoriy", "hryhorii", "ryhor"},
	{"dmitriy", "dmytro", "dzmitry", "dzmitriy"},
	{"yevgeniy", "yevhen", "yauhen"},
	{"yevgeniya", "yevheniya", "yauheniya"},
	{"yekaterina", "kateryna", "katsiaryna", "katerina"},
	{"yelena", "olena", "alena", "alyona"},
	{"igor", "ihor", "ihar"},
	{"ilya", "illia", "illya"},
	{"irina", "iryna"},
	{"kirill", "kyrylo", "kiryl"},
	{"konstantin", "kostiantyn", "kostyantyn", "kanstantsin"},
	{"larisa", "larysa"},
	{"leonid", "leanid"},
	{"lyudmila", "liudmyla", "lyudmyla"},
	{"lyubov", "liubou"},
	{"maksim", "maksym"},
	{"mariya", "maryia"},
	{"mikhail", "mykhailo", "mykhaylo"},
	{"nadezhda", "nadiya", "nadzeya"},
	{"natalya", "nataliya", "natallia"},
	{"nikolay", "mykola", "mikalai", "mikalay"},
	{"oleg", "oleh", "aleh"},
	{"olga", "olha", "volha"},
	{"oksana", "aksana"},
	{"pavel", "pavlo", "paval"},
	{"pyotr", "petro", "piotr", "petr", "pyatro"},
	{"roman", "raman"},
	{"svetlana", "svitlana", "sviatlana"},
	{"semyon", "semen", "siamion"},
	{"sergey", "serhiy", "serhii", "siarhei", "siarhey"},
	{"stepan", "stsiapan"},
	{"tatyana", "tetiana", "tetyana", "tatsiana"},
	{"timofey", "tymofiy", "tsimafei"},
	{"fyodor", "fedir", "fiodar"},
	{"yakov", "yakiv", "yakau"},
	{"yaroslav", "yaraslau"},
	{"vera", "vira"},
}

// Patronymic suffixes, folded, in Russian, Ukrainian and Belarusian
// romanisations (-ovich, -ovych, -avich; -ovna, -ivna, -auna; -ich and
// -ichna after a vowel stem: Ilyich, Kuzminichna), and the Azerbaijani and
// Central Asian ones written as a word's ending (-ogly, -kyzy, -uly).
var (
	maleSuffixes = []string{"yevich", "ievich", "ovich", "evich", "ovych", "evych", "avich", "ovic", "evic",
		"ich", "ogly", "oglu", "ogli", "uly", "uli"}
	femaleSuffixes = []string{"ovna", "evna", "ivna", "avna", "auna", "euna", "ichna", "kyzy", "kizi", "gizi", "qizi"}
)

// patronymic reports whether a folded word is a patronymic by its suffix,
// the suffix and whether it is a man's. The word must have at least three
// letters before the suffix.
func patronymic(w string) (suffix string, male, ok bool) {
	for _, set := range [][]string{maleSuffixes, femaleSuffixes} {
		for _, s := range set {
			if len(w) >= len(s)+3 && strings.HasSuffix(w, s) {
				return s, len(set) == len(maleSuffixes), true
			}
		}
	}
	return "", false, false
}

// nameKeys map the phonetic key of every given name of givenNames to the
// key of its group's first name; patronymStems do the same for the stems
// patronymics are formed from (the name, and the name without a final
// vowel or glide: Nikolay, Nikola-evich; Petro, Petr-ovych).
var nameKeys, patronymStems = func() (map[string]string, map[string]string) {
	names, stems := map[string]string{}, map[string]string{}
	for _, g := range givenNames {
		for _, n := range g {
			names[phoneticKey(n)] = phoneticKey(g[0])
		}
	}
	for k, canon := range names { // A whole name first, so Valentin-ovich is Valentin's, not Valentina's.
		stems[k] = canon
	}
	for _, g := range givenNames {
		for _, n := range g {
			if k := phoneticKey(nameStems(n)[len(nameStems(n))-1]); stems[k] == "" {
				stems[k] = phoneticKey(g[0])
			}
		}
	}
	return names, stems
}()

// nameStems are n and n without its final vowels and glides.
func nameStems(n string) []string {
	stems := []string{n}
	if s := strings.TrimRight(n, "aeiouy"); s != n && len(s) >= 3 {
		stems = append(stems, s)
	}
	return stems
}

// nameKey is the key a folded word is compared by: its group's key for a
// given name of givenNames; for a patronymic formed from one, that key with
// the patronymic's gender (so Nikolaevich, Mykolaiovych and Mikalaevich are
// one word); else key.
func nameKey(w, key string) string {
	if canon, ok := nameKeys[key]; ok {
		return canon
	}
	suffix, male, ok := patronymic(w)
	if !ok {
		return key
	}
	stem := strings.TrimSuffix(w, suffix)
	for _, s := range nameStems(stem) {
		if canon, ok := patronymStems[phoneticKey(s)]; ok {
			if male {
				return canon + "~ovich"
			}
			return canon + "~ovna"
		}
	}
	return key
}

package screening_test

import (
	"strings"

	"github.com/corridor-network/corridor/screening"
)

// Name parts of the negatives in Devanagari and Arabic script and of Arab
// names in Latin letters, written for this set (common Indian and Arab given
// names and surnames); the Latin and Cyrillic Indian and Russian parts are
// ordinary_test.go's.
var (
	devaGiven = []string{"राहुल", "अमित", "सुनील", "प्रिया", "विजय", "दीपक", "अनिल", "कविता", "रमेश", "सुरेश", "नेहा",
		"गौरव", "पूजा", "राजेश", "संजय", "विक्रम", "मनीष", "दिव्या", "अर्जुन", "लक्ष्मी", "आकाश", "अंकित", "रोहित", "सचिन",
		"सौरभ", "अभिषेक", "प्रदीप", "विनोद", "सीमा", "रेखा", "अनीता", "सुनीता", "मीना", "ज्योति", "आरती"}
	devaSurnames = []string{"शर्मा", "वर्मा", "गुप्ता", "पटेल", "सिंह", "जोशी", "मिश्रा", "यादव", "तिवारी", "पांडे",
		"अग्रवाल", "मेहता", "कुलकर्णी", "चौहान", "सक्सेना", "मल्होत्रा", "कपूर", "देसाई", "नायर", "अय्यर", "श्रीवास्तव",
		"दुबे", "त्रिपाठी", "चतुर्वेदी", "ठाकुर", "राठौर", "भट्ट", "बंसल", "गोयल", "जैन", "मित्तल", "खन्ना"}
	arabGiven = []string{"محمد", "أحمد", "علي", "حسن", "عمر", "خالد", "يوسف", "إبراهيم", "عبد الله", "عبد الرحمن",
		"سعيد", "ماجد", "فهد", "طارق", "سامي", "كريم", "نبيل", "وليد", "هشام", "جمال", "فاطمة", "عائشة", "مريم", "زينب",
		"نور", "ليلى", "سارة", "هدى", "رانيا", "سلمى"}
	arabFamilies = []string{"العلي", "الحسيني", "المصري", "الشامي", "الخطيب", "النجار", "الحداد", "السعدي", "القحطاني",
		"العتيبي", "الدوسري", "الشهري", "الزهراني", "الغامدي", "المالكي", "الحربي", "العنزي", "البلوشي", "الكعبي",
		"المنصوري", "الراشد", "الفارس", "العمري", "الجابري", "الخزرجي", "البغدادي", "الموصلي", "الحلبي", "اليماني", "السوداني"}
	arabLatinGiven = []string{"Mohammed", "Ahmed", "Ali", "Hassan", "Omar", "Khalid", "Youssef", "Ibrahim", "Abdullah",
		"Said", "Majid", "Fahad", "Tariq", "Sami", "Karim", "Nabil", "Walid", "Hisham", "Jamal", "Fatima", "Aisha",
		"Maryam", "Zainab", "Layla", "Sara", "Huda", "Rania", "Salma"}
	arabLatinFamilies = []string{"Al-Ali", "Husseini", "Masri", "Shami", "Khatib", "Najjar", "Haddad", "Saadi",
		"Qahtani", "Otaibi", "Dosari", "Shehri", "Zahrani", "Ghamdi", "Maliki", "Harbi", "Anazi", "Baloushi", "Kaabi",
		"Mansouri", "Rashed", "Fares", "Omari", "Jaberi", "Khazraji", "Halabi", "Yamani", "Sudani"}
)

// ordinaryTables generates the candidate negatives, deterministically:
// persons (given name and surname, and Russians with a patronymic) and
// companies in each script, and persons who share a given name or a surname
// with a listed Russian or Ukrainian person, the likeliest false hits.
func ordinaryTables(lists []*screening.List) []labelled {
	var out []labelled
	add := func(label string, names ...string) {
		for _, n := range names {
			out = append(out, labelled{label: label, name: n})
		}
	}
	add("Latin: Indian person", indianPersons()...)
	add("Latin: Indian company", indianCompanies()...)
	add("Latin: Arab person", pairs(arabLatinGiven, arabLatinFamilies, 6)...)
	add("Devanagari: Indian person", pairs(devaGiven, devaSurnames, 10)...)
	add("Arabic: Arab person", pairs(arabGiven, arabFamilies, 10)...)
	ru := russianPairs()
	add("Cyrillic: Russian person", ru...)
	for i, n := range ru {
		add("Latin: Russian person", screening.Cyrillic(n, systems[i%len(systems)]))
	}
	for _, n := range russianPersons() {
		label := "Latin: Russian person with patronymic"
		if screening.Latin(n)[0] != n {
			label = "Cyrillic: Russian person with patronymic"
		}
		add(label, n)
	}
	for _, n := range russianCompanies() {
		label := "Latin: Russian company"
		if strings.ContainsAny(n, "ОАЗПабвгдежзиклмнопрстуфхцчшщыэюя") {
			label = "Cyrillic: Russian company"
		}
		add(label, n)
	}
	latin, cyr := sharingNames(lists)
	add("Latin: shares a listed name", latin...)
	add("Cyrillic: shares a listed name", cyr...)
	return out
}

// pairs are given names with surnames, each given name with per of them.
func pairs(given, surnames []string, per int) []string {
	var out []string
	for i, g := range given {
		for k := range per {
			out = append(out, g+" "+surnames[(i*7+k*3)%len(surnames)])
		}
	}
	return out
}

// russianPairs are Russian given names with surnames, in Cyrillic.
func russianPairs() []string {
	var out []string
	for i, g := range russianMale {
		for k := range 5 {
			out = append(out, g+" "+russianSurnames[(i*3+k*7)%len(russianSurnames)])
		}
	}
	for i, g := range russianFemale {
		for k := range 4 {
			out = append(out, g+" "+femaleSurname(russianSurnames[(i*11+k*3)%len(russianSurnames)]))
		}
	}
	return out
}

// sharingNames pair the given name of every listed Russian or Ukrainian
// person (OFAC writes "SURNAME, Given Patronymic") with an ordinary surname,
// and an ordinary given name with the listed surname, in Latin letters and
// in Cyrillic.
func sharingNames(lists []*screening.List) (latin, cyrillic []string) {
	j := 0
	for _, l := range lists {
		for _, e := range l.Entries {
			surname, rest, ok := strings.Cut(e.Names[0].Full, ",")
			given := strings.Fields(rest)
			if e.Kind != screening.KindIndividual || !russian(e) || !ok || len(given) == 0 {
				continue
			}
			surname = titleCase(strings.TrimSpace(surname))
			g := screening.Cyrillic(russianMale[j%len(russianMale)], screening.ICAO)
			s := screening.Cyrillic(russianSurnames[(j*7)%len(russianSurnames)], screening.BGN)
			j++
			if screening.Keys(g)[0] == screening.Keys(given[0])[0] || screening.Keys(s)[0] == screening.Keys(surname)[0] {
				continue // The ordinary part is the listed person's own: that is the listed name.
			}
			for _, n := range []string{given[0] + " " + s, g + " " + surname} {
				latin = append(latin, n)
				cyrillic = append(cyrillic, toCyrillic(n))
			}
		}
	}
	return latin, cyrillic
}

func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

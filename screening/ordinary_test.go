package screening_test

import (
	"strings"

	"github.com/corridor-network/corridor/screening"
)

// Name parts of ordinary, unlisted Indian and Russian persons and companies.
var (
	indianGiven = []string{"Aarav", "Aditya", "Amit", "Anil", "Anjali", "Arjun", "Deepak", "Divya", "Ganesh",
		"Gaurav", "Harish", "Kavita", "Kiran", "Lakshmi", "Manish", "Meena", "Neha", "Nikhil", "Pooja", "Pradeep",
		"Priya", "Rahul", "Rajesh", "Ramesh", "Ravi", "Rohit", "Sanjay", "Sapna", "Shreya", "Sunil", "Suresh",
		"Swati", "Tarun", "Usha", "Varun", "Vijay", "Vikram", "Vinod", "Yash", "Farhan", "Imran", "Ayesha"}
	indianSurnames = []string{"Sharma", "Verma", "Gupta", "Agarwal", "Iyer", "Iyengar", "Nair", "Menon", "Pillai",
		"Reddy", "Rao", "Naidu", "Patel", "Shah", "Mehta", "Desai", "Joshi", "Kulkarni", "Deshpande", "Chatterjee",
		"Banerjee", "Mukherjee", "Ghosh", "Bose", "Das", "Sen", "Singh", "Kaur", "Gill", "Sandhu", "Chauhan",
		"Rathore", "Yadav", "Mishra", "Tiwari", "Pandey", "Dubey", "Srivastava", "Saxena", "Kapoor", "Malhotra",
		"Khanna", "Bhatia", "Chopra", "Jain", "Bansal", "Goel", "Mittal", "Hegde", "Shetty", "Qureshi", "Ansari"}
	indianDevanagari = []string{"राहुल शर्मा", "अमित वर्मा", "सुनील गुप्ता", "प्रिया पटेल", "विजय सिंह",
		"दीपक जोशी", "अनिल मिश्रा", "कविता यादव", "रमेश तिवारी", "सुरेश पांडे", "नेहा अग्रवाल", "गौरव मेहता",
		"पूजा कुलकर्णी", "राजेश चौहान", "संजय सक्सेना", "विक्रम मल्होत्रा", "मनीष कपूर", "दिव्या देसाई",
		"अर्जुन नायर", "लक्ष्मी अय्यर"}
	indianTrades = []string{"Steel", "Textiles", "Pharma", "Exports", "Industries", "Chemicals", "Motors",
		"Foods", "Agro", "Infra", "Traders", "Logistics", "Software", "Engineering", "Polymers", "Castings",
		"Spinning Mills", "Jewellers", "Tea Estates", "Rice Mills"}
	indianForms = []string{"Pvt Ltd", "Private Limited", "Ltd", "LLP", "& Sons", "Pvt. Ltd.", "Limited"}

	russianMale = []string{"Александр", "Алексей", "Андрей", "Антон", "Артём", "Дмитрий", "Денис", "Егор",
		"Фёдор", "Геннадий", "Григорий", "Илья", "Кирилл", "Константин", "Леонид", "Максим", "Михаил",
		"Николай", "Олег", "Павел", "Пётр", "Роман", "Руслан", "Семён", "Станислав", "Тимур", "Вадим",
		"Валерий", "Василий", "Виктор", "Вячеслав", "Юрий", "Ярослав", "Евгений"}
	russianFemale = []string{"Анна", "Елена", "Ирина", "Наталья", "Ольга", "Светлана", "Татьяна", "Юлия",
		"Екатерина", "Мария", "Марина", "Ксения", "Дарья", "Людмила", "Валентина"}
	russianFathers = []string{"Александров", "Алексеев", "Андреев", "Борисов", "Дмитриев", "Игорев", "Иванов",
		"Михайлов", "Николаев", "Олегов", "Павлов", "Петров", "Сергеев", "Викторов", "Владимиров", "Юрьев",
		"Евгеньев", "Геннадьев"}
	russianSurnames = []string{"Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Новиков", "Фёдоров",
		"Морозов", "Волков", "Лебедев", "Семёнов", "Егоров", "Козлов", "Степанов", "Орлов", "Макаров",
		"Захаров", "Зайцев", "Соловьёв", "Яковлев", "Григорьев", "Тарасов", "Беляев", "Комаров", "Гусев",
		"Титов", "Киселёв", "Баранов", "Фролов", "Давыдов", "Кудрявцев", "Щербаков", "Жуков", "Хохлов",
		"Цветков", "Чернов", "Шестаков", "Юдин", "Ярцев", "Быстров"}
	russianWords = []string{"Ромашка", "Вектор", "Гранит", "Восток", "Меридиан", "Прогресс", "Стройинвест",
		"Техносервис", "Агрокомплекс", "Сибирский лес", "Уральские заводы", "Северное сияние", "Берёзка",
		"Радуга", "Парус", "Кристалл", "Импульс", "Горизонт", "Созвездие", "Лотос", "Янтарь", "Феникс",
		"Тройка", "Русское поле", "Здоровье"}
	russianForms = []string{"ООО «%s»", "АО «%s»", "ПАО %s", "ЗАО \"%s\"", "OOO %s", "%s LLC", "%s JSC"}
	systems      = []screening.System{screening.BGN, screening.ICAO, screening.GOST, screening.Common}
)

// ordinaryNames generates Indian and Russian person and company names,
// deterministically, and drops those that contain every word of some listed
// name (by phonetic key): such a name is a real candidate, not a false
// positive. It returns the names kept and how many it dropped.
func ordinaryNames(lists []*screening.List) ([]string, int) {
	var all []string
	all = append(all, indianPersons()...)
	all = append(all, indianDevanagari...)
	all = append(all, indianCompanies()...)
	all = append(all, russianPersons()...)
	all = append(all, russianCompanies()...)
	listed := listedKeySets(lists)
	var kept []string
	for _, n := range all {
		if !containsListed(n, listed) {
			kept = append(kept, n)
		}
	}
	return kept, len(all) - len(kept)
}

func indianPersons() []string {
	var out []string
	for i, g := range indianGiven {
		for k := 0; k < 8; k++ {
			out = append(out, g+" "+indianSurnames[(i*7+k*5)%len(indianSurnames)])
		}
	}
	return out
}

func indianCompanies() []string {
	var out []string
	for i, s := range indianSurnames {
		for k := 0; k < 4; k++ {
			trade := indianTrades[(i+k*3)%len(indianTrades)]
			out = append(out, s+" "+trade+" "+indianForms[(i+k)%len(indianForms)])
		}
	}
	return out
}

func russianPersons() []string {
	var out []string
	for i, g := range russianMale {
		for k := 0; k < 10; k++ {
			father := russianFathers[(i+k*5)%len(russianFathers)]
			patronymic := strings.TrimSuffix(father, "ов") + "ович"
			if strings.HasSuffix(father, "ев") {
				patronymic = strings.TrimSuffix(father, "ев") + "евич"
			}
			name := g + " " + patronymic + " " + russianSurnames[(i*3+k*7)%len(russianSurnames)]
			out = append(out, romanise(name, i+k))
		}
	}
	for i, g := range russianFemale {
		for k := 0; k < 8; k++ {
			father := russianFathers[(i*5+k*3)%len(russianFathers)]
			patronymic := strings.TrimSuffix(father, "ов") + "овна"
			if strings.HasSuffix(father, "ев") {
				patronymic = strings.TrimSuffix(father, "ев") + "евна"
			}
			name := g + " " + patronymic + " " + femaleSurname(russianSurnames[(i*11+k*3)%len(russianSurnames)])
			out = append(out, romanise(name, i+k))
		}
	}
	return out
}

func femaleSurname(s string) string {
	if strings.HasSuffix(s, "ин") || strings.HasSuffix(s, "ов") || strings.HasSuffix(s, "ев") || strings.HasSuffix(s, "ёв") {
		return s + "а"
	}
	return s
}

// romanise keeps every fifth name in Cyrillic and writes the others in one
// of the romanisation systems, in turn.
func romanise(name string, n int) string {
	if n%5 == 0 {
		return name
	}
	return screening.Cyrillic(name, systems[n%len(systems)])
}

func russianCompanies() []string {
	var out []string
	for i, w := range russianWords {
		for k, f := range russianForms {
			name := strings.Replace(f, "%s", w, 1)
			if strings.ContainsAny(f, "OLJ") && !strings.ContainsAny(f, "ОАЗП") {
				name = strings.Replace(f, "%s", screening.Cyrillic(w, systems[(i+k)%len(systems)]), 1)
			}
			out = append(out, name)
		}
	}
	return out
}

// listedKeySets are the word keys of every listed name.
func listedKeySets(lists []*screening.List) [][]string {
	var out [][]string
	for _, l := range lists {
		for _, e := range l.Entries {
			for _, n := range e.Names {
				for _, k := range screening.Keys(n.Full) {
					out = append(out, strings.Fields(k))
				}
			}
		}
	}
	return out
}

func containsListed(name string, listed [][]string) bool {
	for _, k := range screening.Keys(name) {
		have := map[string]bool{}
		for _, w := range strings.Fields(k) {
			have[w] = true
		}
		for _, l := range listed {
			all := len(l) > 0
			for _, w := range l {
				all = all && have[w]
			}
			if all {
				return true
			}
		}
	}
	return false
}

// Package screening screens payment parties against sanctions lists across
// alphabets: it loads the official list formats, normalises and
// transliterates names, and scores each party against the listed names it
// finds through an index. It is pure: no files, no network, no clock, no
// logging; cmd/corridor reads the files and the hub decides what a hit does.
//
// # Lists
//
// Loaders are pure functions over the bytes of the files as published:
// LoadUN (UN Security Council consolidated list XML), LoadOFACXML (OFAC SDN
// sdn.xml), LoadOFACCSV (OFAC's legacy sdn.csv, add.csv and alt.csv) and
// LoadCSV (the operator's own list, with a header row; the US Consolidated
// Screening List CSV loads with it too). Each returns a List with its Name,
// Version (the list's own date where it has one, else derived from the hash)
// and Hash (SHA-256 of the bytes as loaded) and its entries with all their
// names, aliases (with the list's quality), original-script names, dates of
// birth, nationalities, countries, addresses, programs and the BICs OFAC
// gives. Input is bounded (MaxListBytes, MaxEntries, MaxNamesPerEntry,
// MaxNameRunes, MaxFieldValues): past a bound a loader returns an error, it
// never truncates.
//
// # Using it from the hub
//
// NewScreener indexes any number of lists (each name once) into an
// immutable Screener that is safe for concurrent use. To load a new list
// version, build a new Screener and swap an atomic.Pointer[Screener]: payments
// in flight finish on the old one. A Screener caches the Results of the
// parties it screened, keyed by every input that changes them (the name as
// received, country, date of birth and BIC; not the role, which is only
// carried), at most MaxCachedParties of them: a party that repeats across
// payments is screened once per list version, and a new Screener starts with
// an empty cache, so a list change invalidates every cached Result. Screen(Party) returns a Result with the best
// candidates (at most Config.MaxHits, best first, ties ordered by list name
// then entry ID), the name's Flags (see Flags below) and Hold, true when the
// best score is at or above Config.Threshold or a flag holds on its own
// (FlagBidiControl). A Result can hold with no hit at all: the hub must
// hold on Result.Hold, not only on hits above the threshold. Every Result carries the Screener's ID, a SHA-256 over
// its configuration and its lists' names, versions and hashes. PaymentParties gives the parties of a payment to screen
// (debtor and creditor by name, each agent by BIC, with their Role). Journal
// Screener.Lists() (name, version, hash, entries) with every result, so each
// decision names the list versions it used. Keep a whitelist of confirmed
// false positives by (PartyKey(name), list name, entry ID): PartyKey does not
// change with the spelling or word order of the name.
//
// # The score
//
// Scores are in [0, 1]. They are not money, so they are float64, rounded to
// four decimal places so that the same input gives the same output, byte for
// byte. For a party name P and a listed name C, each split into words:
//
//	score = Σ sim(p, c)·(w(p) + w(c)) / (Σ w(words of P) + Σ w(words of C))
//
// over pairs of words chosen greedily, most similar first, each word in at
// most one pair, a pair counting only if sim ≥ TokenMatchMin (0.84). Word
// order does not matter; missing and extra words lower the score on either
// side, except one left-out patronymic or middle name of a person (below). A word weighs 1, a generic word (bank, group, trading, steel, oil...)
// GenericWeight (0.3), an initial InitialWeight (0.3), and every word is
// further weighted by 1/(1 + 0.25·ln df), where df is the number of listed
// entries using it, so that common first names and patronymics (Vladimir,
// Aleksandrovich) count for less than surnames.
//
// sim(p, c) is 1 when the words have the same phonetic key. Otherwise it is
// the better, over the keys and over the folded words, of the mean of their
// Jaro-Winkler similarity and their normalised edit similarity
// (1 − OSA distance/length), both counted in runes; words one edit apart score
// at least TypoSim (0.92) when at least 5 letters long, 0.9 when 4. An initial
// matches a word it begins with at 0.9. A word romanised from Arabic script
// scores at least 0.9 against a word with the same consonant skeleton.
//
// A patronymic or middle name left out costs OmittedPenalty (0.04), not the
// weight of a missing word: "Igor Shcherbakov", "Shcherbakov Igor" and
// "Щербаков Игорь" score 0.96 against "SHCHERBAKOV, Igor Petrovich", and
// "Igor Petrovich Sechin" 0.96 against "SECHIN, Igor". The rule applies to a
// listed individual (never an entity) when at least two words match, all of
// them exactly (the same phonetic key: a typo and a missing word are two
// differences), and every word of one name matched. Then one unmatched word
// of the other costs only the penalty: of the listed name, its patronymic (a
// word ending -ovich, -evich, -ovych, -avich, -ich, -ovna, -evna, -ivna,
// -auna, -ichna, -ogly, -kyzy, -uly...) or, when it has none, a middle name
// (after "SURNAME, Given", the words after the given name; without a comma,
// the words between the first and the last); of the party's name, its
// patronymic. Every other unmatched word counts in full: "Sergei
// Shcherbakov" (another given name), "Igor Ivanovich Shcherbakov" (another
// patronymic) and "Petrovich Shcherbakov" (no given name) do not hold, nor
// does a name with two middle names left out.
//
// A name of several words is also compared written as one word, when the
// party and the listed name have different numbers of words ("Invest
// Capital Bank" and INVESTCAPITALBANK, "Aerocaribbean" and AERO-CARIBBEAN):
// the score is then the better of the two comparisons.
//
// Each entry is scored by its best name; a low-quality alias (UN "Low",
// OFAC "weak") loses LowQualityPenalty (0.03). Then the party's attributes
// adjust it:
//
//	country (ISO code or name) among the entry's countries/nationalities  +0.03  CountryMatchBonus
//	entry names countries, the party's is not among them                   −0.05  CountryMismatchPenalty
//	same date of birth                                                     +0.05  DOBExactBonus
//	same year of birth (±1: lists say "circa")                             +0.02  DOBYearBonus
//	entry gives years of birth, the party's is more than a year off all    −0.10  DOBMismatchPenalty
//	party BIC (first 8 characters) is a BIC the list names                 score 1
//
// # Thresholds (configuration)
//
// Config.Threshold, default DefaultThreshold 0.88: a score at or above it
// holds the payment. At 0.88 on the sample lists (UN slice, OFAC 2021 CSV
// slice, OFAC XML extract, US CSL sample: 505 individuals and entities):
//
//   - TestLabelled, the labelled set in testdata/labelled: recall 0.9998
//     (5,542 of 5,543 positives hit their entry: 505 each written fullwidth,
//     in mathematical bold, in small capitals, with Hangul fillers for
//     spaces, with a Cyrillic and with a Greek lookalike in every word, with
//     zero-width spaces, reversed behind a right-to-left override; 496 in
//     reversed word order; 153 with a patronymic or middle name left out;
//     for the 176 Russians and Ukrainians, in Cyrillic, romanised again in
//     ICAO, GOST and the Ukrainian system, and 120 in Cyrillic without the
//     patronymic; 30 UN Arabic originals), and no false hit among 2,979
//     ordinary names (1,630 Latin, 712 Cyrillic, 350 Devanagari, 287 Arabic,
//     of which 616 share a given name or a surname with a listed Russian or
//     Ukrainian); the highest scores 0.8171. The one miss is "TAHA MA'RUF"
//     against TAHA MUHYI-AL-DIN MA'RUF, whose hyphenated middle name is two
//     words.
//   - TestQuality: recall 0.9988 (5,845 of 5,852: every name and alias as
//     listed, in reversed word order, with one letter replaced or deleted in
//     a word of five or more letters, romanised from Arabic, a Russian name
//     in Cyrillic; the misses are four-letter words of low-quality aliases),
//     and none of 1,199 ordinary Indian and Russian names held.
//
// A typo in a two-word name costs about 0.04. Config.MinScore (default
// 0.75) is the least score reported as a candidate, Config.MaxHits (default
// 5) how many are reported.
//
// # Flags
//
// Result.Flags says what the party's name carries that a reader does not
// see or may misread, whatever it matches:
//
//	FlagBidiControl  bidi embedding, override or isolate controls (U+202A-U+202E, U+2066-U+2069)  holds on its own
//	FlagMixedScript  a word mixing scripts (Latin with Cyrillic or Greek lookalikes)             recorded
//	FlagInvisible    format characters or fillers (zero-width space, soft hyphen, U+3164)         recorded
//	FlagStyled       letters in compatibility forms (fullwidth, mathematical, circled)            recorded
//
// Bidi controls can show a name in another order than it is stored: they
// are never silently stripped, and such a name is held for review even when
// it matches no one. A mixed-script word does not hold on its own: keyboard
// slips put Latin c, o or p into Cyrillic words of real registries, and
// holding each would bury the operator; the word is matched written in one
// script, so a name that, read that way, matches a listed name holds by its
// score like any other, with the flag to show why it looked different.
// Invisible and styled characters are ordinary in some input (joiners in
// Indic and Persian, fullwidth from East Asian keyboards): recorded only.
// # Folding: the name a reader sees
//
// Listed names and parties' names go through the same steps (canonicalize),
// so that what a person reads as one name is one name:
//
//  1. Bidi embedding, override and isolate controls are flagged
//     (FlagBidiControl, which holds) and the name is matched twice: as
//     stored, and in the order it is shown (the text after a right-to-left
//     override reversed, see visualOrder).
//  2. Default-ignorable code points and format characters (Cf: zero-width
//     space, joiners, soft hyphen, word joiner, tags) are removed; the
//     fillers shown as blanks (Hangul U+115F, U+1160, U+3164, U+FFA0, braille
//     blank U+2800) are read as spaces (FlagInvisible).
//  3. NFKC (golang.org/x/text/unicode/norm) writes compatibility forms as
//     plain letters: fullwidth Ｓｅｃｈｉｎ, mathematical 𝐒𝐞𝐜𝐡𝐢𝐧, circled,
//     ligatures, Arabic presentation forms (FlagStyled).
//  4. A word mixing scripts (FlagMixedScript) is written in one by the
//     UTS #39 confusables: in the script most of its letters have, Latin
//     or Cyrillic, when its other letters all have a lookalike there
//     (Shcherbаkov with a Cyrillic а is Shcherbakov, Щербaков with a Latin a
//     Щербаков), else in the other. A name whose every non-Latin letter has
//     a Latin lookalike is also read in those (Cyrillic АВВА as ABBA).
//  5. The name is romanised (below), lower-cased, and its Latin letters
//     folded: small capitals and other Latin lookalikes (ᴀ ʙ ᴄ, ɑ, ɡ, ı) as
//     ASCII letters.
//
// The confusables, default ignorables and small capitals come from the
// Unicode 15.0.0 data files in internal/unigen/data, the version of Go
// 1.26's unicode package and of the NFKC tables; go generate rewrites
// unicode_tables.go from them, and TestUnicodeVersions fails when the
// versions part. Folding is idempotent (FuzzNormalize: folding a folded name
// gives it back), and bounded: MaxTokens words of at most MaxWordRunes
// letters; Screen reads at most MaxNameRunes of a party's name.
//
// # Normalisation
//
// A folded name is lower-cased with Unicode case mapping, its
// diacritics are written as plain letters by a table (č ch, š sh, ž zh keep
// their Slavic sound; ß ss, æ ae, ø o; other marks dropped, and combining
// marks U+0300-U+036F removed), apostrophes are deleted (L'vovich lvovich),
// the dots of initials join them (S.A. sa), and every other punctuation mark
// or symbol separates words. Then legal forms are removed: the words in
// legalForms in English, Russian (romanised: ooo, zao, oao, pao, ao, obshchestvo,
// aktsionernoe...), Ukrainian (tov, pat), Indian (pvt, opc, llp) and European
// (gmbh, sa, ag...) use, with one typo allowed in those of 5 letters or more,
// and the legalContext words (joint, stock, open, private, public, liability,
// s...) where they touch a removed legal word, so "open joint stock company"
// and "obshchestvo s ogranichennoy otvetstvennostyu" disappear in any order.
// Stop words (the, of, and, de, al, el...) are removed; "al-Tikriti" is
// "tikriti"; so are honorifics (mr, dr, shri...). If nothing would remain, the words are kept. Bank is not a legal
// form: "Bank Rossiya" and "Rossiya" are different entities; it is kept as a
// generic word. A few translated generic words are written in English: НК
// (neftyanaya kompaniya) is "oil", gruppa is "group".
//
// # Transliteration
//
// Cyrillic (Russian, Ukrainian, Belarusian letters) is romanised in six
// systems, each a variant the matcher indexes or tries: BGN/PCGN and the
// Russian passports of 1997-2010 (щ shch, х kh, ц ts, ю yu, я ya, й y), ICAO
// 9303 and the Russian passports since 2013 (ю iu, я ia, й i, ъ ie), GOST
// 7.79 system B (щ shh, х x, ц cz, й j, ё yo), scholarly without háčeks (щ
// sc, х ch, ц c, ж z, ю ju, я ja), everyday English (щ sch, х h, е ye after a
// vowel) and Ukraine's national system (г h, и y, є ye, ї yi, ю yu, я ya; ie,
// i, iu, ia inside a word), which is also how Belarusian г is written. ISO 9
// and GOST 7.79 system A (č š ž ŝ) fold to ch sh zh sh; the passports of
// 2010-2013 wrote ц tc, which the phonetic key reads as ts; GOST's x for х is
// also read as kh (Mixail). Serbian, Macedonian and Central Asian letters (ђ
// ј љ њ ћ џ ѓ ќ ѕ ә ғ қ ң ө ұ ү һ ҷ ҳ) have their own table; no Cyrillic
// letter is left in a romanised name.
//
// One person is Aleksandr in a Russian document, Oleksandr in a Ukrainian
// one and Aliaksandr in a Belarusian one: a table of East Slavic given names
// (givenNames) gives the forms of one name one key (Aleksandr, Oleksandr,
// Aliaksandr; Nikolay, Mykola, Mikalai; Sergey, Serhiy, Siarhei; Yevgeniy,
// Yevhen, Yauhen...), and the patronymics formed from them one key per
// gender (Nikolaevich, Mykolaiovych; Sergeyevna, Serhiivna). Surnames are
// compared by their phonetic key (Yanukovich, Yanukovych) and typo
// tolerance (Gritsenko, Hrytsenko).
//
// Devanagari is romanised Hunterian-style (the Government of India's
// spelling of names): long vowels as short ones, श and ष sh, व v, the
// inherent vowel written after a consonant without a vowel sign or virama
// except at the end of a word (राम ram, शर्मा sharma), anusvara n, nukta
// forms (ज़ z), candra vowels (ॅ ॉ e o), ज्ञ gy (ज्ञानेश्वर Gyaneshwar). Arabic
// script (the UN list's original-script names; Arabic, Persian, Urdu and
// Kurdish letters, and Arabic-Indic digits) is romanised consonant by
// consonant with the article ال split off. A name mixing these scripts is
// romanised script by script. Other scripts are compared as written, after
// folding.
//
// # Phonetic key
//
// Latin spellings of one Russian or Indian name share a phonetic key (see
// phoneticKey): x ks, w v, q k, ph f; shch, shh, sch and sh become one
// symbol, as do ch/tch/cz, zh, and ts/tz/soft c; kh is h; j is y; a y or i
// gliding into a vowel is dropped (ya ia ja a, yu iu ju u, ye e, yo io e);
// iy, ii, yi and a final y are i; ee is i and oo is u; doubled letters are
// single; tc (Russian passports 2010-2013) is ts. So Shcherbakov, Scherbakov, Sherbakov, Shherbakov and Ščerbakov
// collide, as do Yuriy/Iurii/Jurij, Evgeniy/Yevgeny/Evgenii,
// Andreevich/Andreyevich and Agarwal/Aggarwal.
//
// # Index
//
// Screen never compares a party with every listed name. Every listed
// (non-generic) word is indexed under its phonetic key, its folded form, each
// with any one character deleted, and its consonant skeleton. A party's words
// are looked up the same way (one deletion on each side finds any single
// edit), names of several words also under their words written as one, and
// only the names found are scored: on the sample lists about 14 of
// 1,503 names per party (BenchmarkScreen reports it; Result.Compared counts it).
package screening

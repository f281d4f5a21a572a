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
// in flight finish on the old one. Screen(Party) returns a Result with the best
// candidates (at most Config.MaxHits, best first, ties ordered by list name
// then entry ID) and Hold, true when the best score is at or above
// Config.Threshold. Every Result carries the Screener's ID, a SHA-256 over
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
// side. A word weighs 1, a generic word (bank, group, trading, steel, oil...)
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
// holds the payment. At 0.88 on the sample lists, every listed name and
// alias, its words in another order, a one-letter typo in a word of five or
// more letters, its original-script form romanised and a Russian name written
// in Cyrillic hit (recall above 0.99 in TestQuality), while none of 1,199
// ordinary Indian and Russian person and company names does. A typo in a
// two-word name costs about 0.04; a missing patronymic about 0.2 (so "Igor
// Petrovich Sechin" is a candidate, not a hold, against "SECHIN, Igor"; lower
// the threshold to 0.80 to hold such names, at the price of more false
// positives). Config.MinScore (default 0.75) is the least score reported as a
// candidate, Config.MaxHits (default 5) how many are reported.
//
// # Normalisation
//
// A name is romanised (below), lower-cased with Unicode case mapping, its
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
// "tikriti". If nothing would remain, the words are kept. Bank is not a legal
// form: "Bank Rossiya" and "Rossiya" are different entities; it is kept as a
// generic word. A few translated generic words are written in English: НК
// (neftyanaya kompaniya) is "oil", gruppa is "group".
//
// # Transliteration
//
// Cyrillic (Russian, Ukrainian, Belarusian letters) is romanised in five
// systems, each a variant the matcher indexes or tries: BGN/PCGN (щ shch,
// х kh, ц ts, ю yu, я ya, й y), ICAO 9303 (ю iu, я ia, й i, ъ ie), GOST 7.79
// system B (щ shh, х x, ц cz, й j, ё yo), scholarly without háčeks (щ sc, х
// ch, ц c, ж z, ю ju, я ja) and everyday English (щ sch, х h, е ye after a
// vowel). Devanagari is romanised Hunterian-style (the Government of India's
// spelling of names): long vowels as short ones, श and ष sh, व v, the
// inherent vowel written after a consonant without a vowel sign or virama
// except at the end of a word (राम ram, शर्मा sharma), anusvara n, nukta
// forms (ज़ z). Arabic (the UN list's original-script names) is romanised
// consonant by consonant with the article ال split off. Other scripts are
// compared as written.
//
// # Phonetic key
//
// Latin spellings of one Russian or Indian name share a phonetic key (see
// phoneticKey): x ks, w v, q k, ph f; shch, shh, sch and sh become one
// symbol, as do ch/tch/cz, zh, and ts/tz/soft c; kh is h; j is y; a y or i
// gliding into a vowel is dropped (ya ia ja a, yu iu ju u, ye e, yo io e);
// iy, ii, yi and a final y are i; ee is i and oo is u; doubled letters are
// single. So Shcherbakov, Scherbakov, Sherbakov, Shherbakov and Ščerbakov
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
// only the names found are scored: on the sample lists about 13 of
// 1,503 names per party (BenchmarkScreen reports it; Result.Compared counts it).
package screening

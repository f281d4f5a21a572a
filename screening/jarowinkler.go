package screening

// jaroWinkler is the Jaro-Winkler similarity of a and b, counted in runes
// (not bytes), in [0, 1]: prefix scale 0.1 over at most 4 runes, applied when
// the Jaro similarity is above 0.7. Scores are not money, so float64 is fine.
func jaroWinkler(a, b []rune) float64 {
	j := jaro(a, b)
	if j <= 0.7 {
		return j
	}
	prefix := 0
	for prefix < len(a) && prefix < len(b) && prefix < 4 && a[prefix] == b[prefix] {
		prefix++
	}
	return j + float64(prefix)*0.1*(1-j)
}

// maxJaroRunes bounds the match flags kept on the stack.
const maxJaroRunes = 64

func jaro(a, b []rune) float64 {
	if len(a) == 0 || len(b) == 0 {
		if len(a) == len(b) {
			return 1
		}
		return 0
	}
	if len(a) > maxJaroRunes {
		a = a[:maxJaroRunes]
	}
	if len(b) > maxJaroRunes {
		b = b[:maxJaroRunes]
	}
	window := max(len(a), len(b))/2 - 1
	window = max(window, 0)
	var am, bm [maxJaroRunes]bool
	matches := 0
	for i := range a {
		lo, hi := max(0, i-window), min(len(b), i+window+1)
		for k := lo; k < hi; k++ {
			if !bm[k] && a[i] == b[k] {
				am[i], bm[k] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	half, k := 0, 0
	for i := range a {
		if !am[i] {
			continue
		}
		for !bm[k] {
			k++
		}
		if a[i] != b[k] {
			half++
		}
		k++
	}
	m := float64(matches)
	return (m/float64(len(a)) + m/float64(len(b)) + (m-float64(half/2))/m) / 3
}

// editDistance is the optimal string alignment distance of a and b in runes:
// insertions, deletions, substitutions and adjacent transpositions cost 1.
func editDistance(a, b []rune) int {
	if len(a) > maxJaroRunes {
		a = a[:maxJaroRunes]
	}
	if len(b) > maxJaroRunes {
		b = b[:maxJaroRunes]
	}
	var rows [3][maxJaroRunes + 1]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

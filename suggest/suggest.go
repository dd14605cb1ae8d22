// Package suggest finds the word a user probably meant — a rule id, an element name, a key —
// for the "did you mean" of an error message.
package suggest

import "strings"

// maxDistance bounds how far a candidate may be from the word: more than a couple of typos
// and the guess is more likely to mislead than to help.
const maxDistance = 2

// Closest returns the candidate closest to word: one that differs only in case, else the
// first at the smallest edit distance within a couple of typos, else "".
func Closest(word string, candidates []string) string {
	best, bestD := "", maxDistance+1
	lower := strings.ToLower(word)
	for _, c := range candidates {
		if strings.EqualFold(c, word) {
			return c
		}
		if d := distance(lower, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the Levenshtein edit distance between two short strings, counted in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
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
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

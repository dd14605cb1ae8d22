//go:build ssmpolicy_gencatalogue

package rules

// generatedRules stands in for the generated catalogue while the generator runs (build tag
// ssmpolicy_gencatalogue), which reads the annotations itself.
func generatedRules() []Rule { return nil }

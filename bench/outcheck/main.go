// Command outcheck validates what a timed run wrote, so that bench/run.sh cannot report the
// speed of a tool that did not do the work: the output must be valid JSON and must cover the
// expected number of policies.
//
//	outcheck -tool ssmpolicy -want N FILE   # `ssmpolicy check -o json`: summary.targets == N
//	outcheck -tool conftest  -want N FILE   # `conftest test -o json`: N distinct files tested
//
// On success it prints the number of findings (conftest: failures), the figure that shows both
// tools found something; on failure it says why and exits 1.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
)

func main() {
	tool := flag.String("tool", "", "ssmpolicy or conftest")
	want := flag.Int("want", -1, "expected number of policies")
	flag.Parse()
	if flag.NArg() != 1 || *want < 0 {
		fmt.Fprintln(os.Stderr, "usage: outcheck -tool ssmpolicy|conftest -want N FILE")
		os.Exit(2)
	}
	data, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fail("%v", err)
	}
	var findings int
	switch *tool {
	case "ssmpolicy":
		findings, err = checkSSMPolicy(data, *want)
	case "conftest":
		findings, err = checkConftest(data, *want)
	default:
		fmt.Fprintf(os.Stderr, "outcheck: unknown -tool %q\n", *tool)
		os.Exit(2)
	}
	if err != nil {
		fail("%s: %v", flag.Arg(0), err)
	}
	fmt.Println(findings)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "outcheck: "+format+"\n", args...)
	os.Exit(1)
}

// checkSSMPolicy reads the `-o json` object of PRODUCT.md. Pointers tell a missing member from
// a zero, which would otherwise pass for "no findings".
func checkSSMPolicy(data []byte, want int) (int, error) {
	var out struct {
		Version  *int `json:"version"`
		Findings []struct {
			Rule    string `json:"rule"`
			Level   string `json:"level"`
			Message string `json:"message"`
			File    string `json:"file"`
		} `json:"findings"`
		Summary *struct {
			Targets  *int `json:"targets"`
			Findings *int `json:"findings"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return 0, fmt.Errorf("not the JSON object ssmpolicy writes: %v", err)
	}
	switch {
	case out.Version == nil:
		return 0, fmt.Errorf("no version member")
	case out.Summary == nil || out.Summary.Targets == nil || out.Summary.Findings == nil:
		return 0, fmt.Errorf("no summary.targets or summary.findings")
	case *out.Summary.Targets != want:
		// Say why: a target short usually means an input was rejected, and the error finding
		// that rejected it is the thing to read.
		why := ""
		for _, f := range out.Findings {
			if f.Level == "error" && len(why) < 1000 {
				why += fmt.Sprintf("\n  %s: %s: %s", f.File, f.Rule, f.Message)
			}
		}
		return 0, fmt.Errorf("summary.targets is %d, want %d%s", *out.Summary.Targets, want, why)
	case *out.Summary.Findings != len(out.Findings):
		return 0, fmt.Errorf("summary.findings is %d but %d findings are listed", *out.Summary.Findings, len(out.Findings))
	}
	return len(out.Findings), nil
}

// checkConftest reads conftest's JSON output: one result per file and namespace.
func checkConftest(data []byte, want int) (int, error) {
	var out []struct {
		Filename string            `json:"filename"`
		Failures []json.RawMessage `json:"failures"`
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return 0, fmt.Errorf("not conftest's JSON list: %v", err)
	}
	files := map[string]bool{}
	failures := 0
	for _, r := range out {
		files[r.Filename] = true
		failures += len(r.Failures)
	}
	if len(files) != want {
		return 0, fmt.Errorf("%d files tested, want %d", len(files), want)
	}
	return failures, nil
}

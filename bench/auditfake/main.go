// Command auditfake serves the AWS stand-in (package awsfake) seeded for a benchmark of
// ssmpolicy audit, and checks what the audit wrote:
//
//	auditfake serve [-n 10000] [-seed 1] [-accounts A,B] [-regions R,S] [-rate 100 -burst 20] -stats FILE
//	auditfake check -policies N AUDIT.json
//
// serve seeds DefaultSeedSpec(n) in each account and region, prints the endpoint URL on its
// first line of standard output, throttles past -rate calls per second per account and region
// (0: no limit) with the real ThrottlingException, and on SIGINT or SIGTERM writes to -stats
// a JSON object of what it answered: calls, throttled calls, calls per operation, and what it
// seeded. check reads the JSON of `ssmpolicy audit -o json`, fails unless every scope is
// complete, there is no error and the inventory has N rows, and prints the number of findings.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/ssmpolicy/ssmpolicy/awsfake"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: auditfake serve|check ...")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Args[2:])
	case "check":
		err = check(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q (want serve or check)", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "auditfake:", err)
		os.Exit(1)
	}
}

// stats is what serve writes on exit.
type stats struct {
	Calls       int            `json:"calls"`
	Throttled   int            `json:"throttled"`
	ByOperation map[string]int `json:"byOperation"`
	Parameters  int            `json:"parameters"`
	Advanced    int            `json:"advanced"`
	Policies    int            `json:"policies"`
}

func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	n := fs.Int("n", 10000, "parameters per account and region")
	seed := fs.Uint64("seed", 1, "seed of the draw")
	accounts := fs.String("accounts", awsfake.DefaultAccount, "comma-separated owner accounts")
	regions := fs.String("regions", awsfake.DefaultRegion, "comma-separated regions")
	rate := fs.Float64("rate", 0, "calls per second per account and region before throttling (0: none)")
	burst := fs.Int("burst", 20, "burst of the rate limit")
	statsFile := fs.String("stats", "", "file the call statistics are written to on exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *statsFile == "" {
		return errors.New("serve: -stats FILE is required")
	}
	f := awsfake.New()
	spec := awsfake.DefaultSeedSpec(*n)
	spec.Seed, spec.Accounts, spec.Regions = *seed, strings.Split(*accounts, ","), strings.Split(*regions, ",")
	rep, err := f.Seed(spec)
	if err != nil {
		return err
	}
	if *rate > 0 {
		f.SetRateLimit(*rate, *burst)
	}
	if err := f.Listen(0); err != nil {
		return err
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	fmt.Println(f.URL())
	<-sig
	_ = f.Close()

	st := stats{ByOperation: map[string]int{}, Parameters: rep.Parameters, Advanced: rep.Advanced, Policies: rep.Policies}
	for _, c := range f.Calls() {
		st.Calls++
		st.ByOperation[c.Operation]++
		if c.ErrorType == "ThrottlingException" || c.ErrorType == "Throttling" {
			st.Throttled++
		}
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(*statsFile, append(b, '\n'), 0o644)
}

func check(args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	policies := fs.Int("policies", -1, "rows the inventory must have")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("check: want one AUDIT.json")
	}
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	var doc struct {
		Scopes []struct {
			Complete bool `json:"complete"`
		} `json:"scopes"`
		Inventory []json.RawMessage `json:"inventory"`
		Findings  []json.RawMessage `json:"findings"`
		Errors    []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("check: %s is not the audit JSON: %w", fs.Arg(0), err)
	}
	if len(doc.Errors) > 0 {
		return fmt.Errorf("check: the audit reported %d errors, the first: %s", len(doc.Errors), doc.Errors[0].Message)
	}
	for i, s := range doc.Scopes {
		if !s.Complete {
			return fmt.Errorf("check: scope %d is incomplete", i)
		}
	}
	if *policies >= 0 && len(doc.Inventory) != *policies {
		return fmt.Errorf("check: %d inventory rows, the stand-in seeded %d policies", len(doc.Inventory), *policies)
	}
	fmt.Println(len(doc.Findings))
	return nil
}

// Command ghaction checks and runs a composite GitHub Action, this repository's action.yml,
// without GitHub:
//
//	ghaction check ACTION.yml                validate the metadata and every ${{ }} it uses
//	ghaction workflow ACTION.yml             print the steps as a workflow, for actionlint,
//	                                         which does not lint a composite action's steps
//	ghaction run ACTION.yml [NAME=VALUE...]  run the run: steps as the runner does, with the
//	                                         inputs given (uses: steps are skipped)
//
// run reads GITHUB_WORKSPACE, RUNNER_TEMP, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY from the
// environment, appends the action's outputs to GITHUB_OUTPUT (where the runner would make them
// the outputs of the step that uses the action), and exits with the code of the step that
// failed. Expressions are limited to what the action needs, context paths such as
// inputs.paths or steps.build.outputs.path, and conditions of the form
// steps.ID.outputs.NAME == 'value' (or !=) in if: check refuses anything else, so that what
// run does is what the runner does. github.action_ref is read from GITHUB_ACTION_REF.
package main

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: ghaction check|workflow|run ACTION.yml [NAME=VALUE...]")
		os.Exit(2)
	}
	code, err := dispatch(os.Args[1], os.Args[2], os.Args[3:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "ghaction: %v\n", err)
		os.Exit(2)
	}
	os.Exit(code)
}

func dispatch(cmd, path string, args []string) (int, error) {
	a, err := load(path)
	if err != nil {
		return 0, err
	}
	if errs := a.check(); len(errs) > 0 {
		return 0, fmt.Errorf("%s:\n%w", path, errors.Join(errs...))
	}
	switch cmd {
	case "check":
		return 0, nil
	case "workflow":
		out, err := a.workflow()
		if err != nil {
			return 0, err
		}
		_, err = os.Stdout.Write(out)
		return 0, err
	case "run":
		return a.run(args)
	}
	return 0, fmt.Errorf("unknown command %q (want check, workflow or run)", cmd)
}

type input struct {
	Description string `yaml:"description"`
	Required    bool   `yaml:"required"`
	Default     string `yaml:"default"`
}

type output struct {
	Description string `yaml:"description"`
	Value       string `yaml:"value"`
}

type step struct {
	Name             string            `yaml:"name"`
	ID               string            `yaml:"id"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	With             map[string]string `yaml:"with"`
	Run              string            `yaml:"run"`
	Shell            string            `yaml:"shell"`
	WorkingDirectory string            `yaml:"working-directory"`
	Env              map[string]string `yaml:"env"`
	ContinueOnError  bool              `yaml:"continue-on-error"`
}

func (s step) label(i int) string { return cmp.Or(s.Name, s.ID, s.Uses, fmt.Sprintf("step %d", i+1)) }

type action struct {
	path        string
	Name        string            `yaml:"name"`
	Description string            `yaml:"description"`
	Author      string            `yaml:"author"`
	Branding    map[string]string `yaml:"branding"`
	Inputs      map[string]input  `yaml:"inputs"`
	Outputs     map[string]output `yaml:"outputs"`
	Runs        struct {
		Using string `yaml:"using"`
		Steps []step `yaml:"steps"`
	} `yaml:"runs"`
	// doc is the file as YAML nodes, for workflow, which keeps the order and text of inputs
	// and steps.
	doc yaml.Node
}

func load(path string) (*action, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	a := &action{path: path}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(a); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := yaml.Unmarshal(src, &a.doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}

var (
	exprRe = regexp.MustCompile(`\$\{\{(.*?)\}\}`)
	// contextPaths are the expressions ghaction understands: a path into one of these contexts.
	contextPathRe = regexp.MustCompile(`^(inputs\.[A-Za-z_][A-Za-z0-9_-]*|github\.(action_path|action_ref|workspace)|runner\.temp|steps\.[A-Za-z_][A-Za-z0-9_-]*\.outputs\.[A-Za-z_][A-Za-z0-9_-]*)$`)
	// ifRe is the one form of condition ghaction evaluates.
	ifRe = regexp.MustCompile(`^(?:\$\{\{\s*)?steps\.([A-Za-z_][A-Za-z0-9_-]*)\.outputs\.([A-Za-z_][A-Za-z0-9_-]*)\s*(==|!=)\s*'([^']*)'\s*(?:\}\})?$`)
)

// check validates what the runner would refuse, and what run could not do faithfully.
func (a *action) check() []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if a.Name == "" || a.Description == "" {
		bad("name and description are required")
	}
	if a.Runs.Using != "composite" {
		bad("runs.using is %q: only composite actions are handled", a.Runs.Using)
	}
	for name, in := range a.Inputs {
		if in.Description == "" {
			bad("input %s has no description", name)
		}
	}
	ids := map[string]bool{}
	exprs := func(where, s string) {
		for _, m := range exprRe.FindAllStringSubmatch(s, -1) {
			e := strings.TrimSpace(m[1])
			if !contextPathRe.MatchString(e) {
				bad("%s: unsupported expression ${{ %s }}", where, e)
				continue
			}
			parts := strings.Split(e, ".")
			switch parts[0] {
			case "inputs":
				if _, ok := a.Inputs[parts[1]]; !ok {
					bad("%s: ${{ %s }} names no input", where, e)
				}
			case "steps":
				if !ids[parts[1]] {
					bad("%s: ${{ %s }} names no earlier step", where, e)
				}
			}
		}
	}
	for i, s := range a.Runs.Steps {
		where := "step " + s.label(i)
		if (s.Uses == "") == (s.Run == "") {
			bad("%s: give either uses or run", where)
		}
		if s.Run != "" {
			if s.Shell == "" {
				bad("%s: a run step of a composite action needs shell", where)
			} else if _, ok := shells[s.Shell]; !ok {
				bad("%s: shell %q is not handled (want bash or sh)", where, s.Shell)
			}
			// Inputs go through env: a ${{ }} in the script would be pasted into it unquoted.
			if strings.Contains(s.Run, "${{") {
				bad("%s: ${{ }} in a run script; pass the value through env", where)
			}
		}
		if s.If != "" {
			if m := ifRe.FindStringSubmatch(strings.TrimSpace(s.If)); m == nil {
				bad("%s: if %q is not handled (want steps.ID.outputs.NAME == 'value' or !=)", where, s.If)
			} else if !ids[m[1]] {
				bad("%s: if names no earlier step %s", where, m[1])
			}
		}
		for k, v := range s.Env {
			exprs(where+" env "+k, v)
		}
		for k, v := range s.With {
			exprs(where+" with "+k, v)
		}
		exprs(where+" working-directory", s.WorkingDirectory)
		if s.ID != "" {
			if ids[s.ID] {
				bad("%s: id %s is used twice", where, s.ID)
			}
			ids[s.ID] = true
		}
	}
	for name, o := range a.Outputs {
		exprs("output "+name, o.Value)
	}
	return errs
}

// shells are the runner's command lines for each shell name; {0} is the script file.
var shells = map[string][]string{
	"bash": {"bash", "--noprofile", "--norc", "-eo", "pipefail", "{0}"},
	"sh":   {"sh", "-e", "{0}"},
}

// workflow writes the action's steps as a workflow_dispatch workflow with the same inputs:
// in a workflow, actionlint checks the steps (expressions, contexts, the inputs of the actions
// used, shellcheck on run scripts) as it does not in an action.yml.
func (a *action) workflow() ([]byte, error) {
	root := a.doc.Content[0]
	get := func(m *yaml.Node, key string) *yaml.Node {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return m.Content[i+1]
			}
		}
		return nil
	}
	str := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: s} }
	mapping := func(kv ...*yaml.Node) *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode, Content: kv} }

	inputs := mapping()
	if in := get(root, "inputs"); in != nil {
		for i := 0; i+1 < len(in.Content); i += 2 {
			def := a.Inputs[in.Content[i].Value]
			inputs.Content = append(inputs.Content, str(in.Content[i].Value), mapping(
				str("description"), str(def.Description),
				str("required"), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(def.Required)},
				str("default"), &yaml.Node{Kind: yaml.ScalarNode, Style: yaml.DoubleQuotedStyle, Value: def.Default},
				str("type"), str("string")))
		}
	}
	steps := get(get(root, "runs"), "steps")
	wf := mapping(
		str("name"), str(a.Name+" (the steps of "+filepath.Base(a.path)+")"),
		str("on"), mapping(str("workflow_dispatch"), mapping(str("inputs"), inputs)),
		str("permissions"), mapping(str("contents"), str("read")),
		str("jobs"), mapping(str("action"), mapping(
			str("runs-on"), str("ubuntu-latest"),
			str("steps"), steps)))
	var buf bytes.Buffer
	buf.WriteString("# Generated by scripts/ghaction from " + filepath.Base(a.path) + ": edit that file, not this one.\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(wf); err != nil {
		return nil, err
	}
	return buf.Bytes(), enc.Close()
}

package main

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// This file runs the action's run: steps as the runner does.

// run executes the run: steps in order, as the runner runs a composite action.
func (a *action) run(args []string) (int, error) {
	values := map[string]string{}
	for name, in := range a.Inputs {
		values[name] = in.Default
	}
	for _, arg := range args {
		name, value, ok := strings.Cut(arg, "=")
		if _, known := a.Inputs[name]; !ok || !known {
			return 0, fmt.Errorf("%q: want NAME=VALUE with NAME one of the inputs", arg)
		}
		values[name] = value
	}
	for name, in := range a.Inputs {
		if in.Required && values[name] == "" {
			return 0, fmt.Errorf("input %s is required", name)
		}
	}
	env := map[string]string{}
	for _, k := range []string{"GITHUB_WORKSPACE", "RUNNER_TEMP", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"} {
		env[k] = os.Getenv(k)
		if env[k] == "" {
			return 0, fmt.Errorf("%s is not set", k)
		}
	}
	actionPath, err := filepath.Abs(filepath.Dir(a.path))
	if err != nil {
		return 0, err
	}
	ctx := evalContext{inputs: values, steps: map[string]map[string]string{}, vars: map[string]string{
		"github.action_path": actionPath, "github.workspace": env["GITHUB_WORKSPACE"], "runner.temp": env["RUNNER_TEMP"],
		"github.action_ref": os.Getenv("GITHUB_ACTION_REF"),
	}}

	code := 0
	for i, s := range a.Runs.Steps {
		if s.If != "" && !ctx.holds(s.If) {
			fmt.Fprintf(os.Stderr, "ghaction: skipping %q: if %s is false\n", s.label(i), s.If)
			continue
		}
		if s.Uses != "" {
			fmt.Fprintf(os.Stderr, "ghaction: skipping %q (uses %s): this machine's tools stand in\n", s.label(i), s.Uses)
			continue
		}
		fmt.Fprintf(os.Stderr, "ghaction: running %q\n", s.label(i))
		c, outs, err := runStep(s, ctx, actionPath, env)
		if err != nil {
			return 0, fmt.Errorf("step %s: %w", s.label(i), err)
		}
		if s.ID != "" {
			ctx.steps[s.ID] = outs
		}
		if c != 0 {
			fmt.Fprintf(os.Stderr, "ghaction: step %q exited with %d\n", s.label(i), c)
			if !s.ContinueOnError {
				code = c
				break
			}
		}
	}
	// The runner evaluates the outputs whether the steps passed or not.
	f, err := os.OpenFile(env["GITHUB_OUTPUT"], os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return 0, err
	}
	names := make([]string, 0, len(a.Outputs))
	for name := range a.Outputs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		v := ctx.expand(a.Outputs[name].Value)
		if strings.Contains(v, "\n") {
			fmt.Fprintf(f, "%s<<ghaction_EOF\n%s\nghaction_EOF\n", name, v)
		} else {
			fmt.Fprintf(f, "%s=%s\n", name, v)
		}
	}
	return code, f.Close()
}

func runStep(s step, ctx evalContext, actionPath string, base map[string]string) (int, map[string]string, error) {
	tmp := base["RUNNER_TEMP"]
	script, err := os.CreateTemp(tmp, "ghaction-step-*.sh")
	if err != nil {
		return 0, nil, err
	}
	defer os.Remove(script.Name())
	if _, err := script.WriteString(s.Run); err != nil {
		return 0, nil, err
	}
	if err := script.Close(); err != nil {
		return 0, nil, err
	}
	// Each step gets its own GITHUB_OUTPUT file, read back when it ends.
	out, err := os.CreateTemp(tmp, "ghaction-output-*")
	if err != nil {
		return 0, nil, err
	}
	out.Close()
	defer os.Remove(out.Name())

	argv := slices.Clone(shells[s.Shell])
	for i, a := range argv {
		argv[i] = strings.ReplaceAll(a, "{0}", script.Name())
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = cmp.Or(ctx.expand(s.WorkingDirectory), base["GITHUB_WORKSPACE"])
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), "GITHUB_OUTPUT="+out.Name(), "GITHUB_ACTION_PATH="+actionPath)
	for k, v := range s.Env {
		cmd.Env = append(cmd.Env, k+"="+ctx.expand(v))
	}
	code := 0
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return 0, nil, err
		}
		code = exit.ExitCode()
	}
	data, err := os.ReadFile(out.Name())
	if err != nil {
		return 0, nil, err
	}
	outs, err := parseOutputs(string(data))
	return code, outs, err
}

// parseOutputs reads a GITHUB_OUTPUT file: NAME=VALUE lines, and NAME<<DELIMITER blocks
// that end at a line holding only the delimiter, told apart as the runner does.
func parseOutputs(data string) (map[string]string, error) {
	outs := map[string]string{}
	lines := strings.Split(strings.ReplaceAll(data, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if l == "" {
			continue
		}
		eq, heredoc := strings.Index(l, "="), strings.Index(l, "<<")
		if eq >= 0 && (heredoc < 0 || eq < heredoc) {
			outs[l[:eq]] = l[eq+1:]
			continue
		}
		if heredoc < 0 {
			return nil, fmt.Errorf("GITHUB_OUTPUT line %d: %q is neither NAME=VALUE nor NAME<<DELIMITER", i+1, l)
		}
		name, delim := l[:heredoc], l[heredoc+2:]
		var value []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			value = append(value, lines[i])
		}
		if i == len(lines) {
			return nil, fmt.Errorf("GITHUB_OUTPUT: %s<<%s is not closed", name, delim)
		}
		outs[name] = strings.Join(value, "\n")
	}
	return outs, nil
}

// holds evaluates a condition check has accepted.
func (c evalContext) holds(cond string) bool {
	m := ifRe.FindStringSubmatch(strings.TrimSpace(cond))
	equal := c.steps[m[1]][m[2]] == m[4]
	return equal == (m[3] == "==")
}

type evalContext struct {
	inputs map[string]string
	steps  map[string]map[string]string
	vars   map[string]string
}

// expand replaces each ${{ path }} with its value; check has made sure every path is known.
// A missing step output is empty, as in the runner.
func (c evalContext) expand(s string) string {
	return exprRe.ReplaceAllStringFunc(s, func(m string) string {
		e := strings.TrimSpace(m[3 : len(m)-2])
		parts := strings.Split(e, ".")
		switch parts[0] {
		case "inputs":
			return c.inputs[parts[1]]
		case "steps":
			return c.steps[parts[1]][parts[3]]
		}
		return c.vars[e]
	})
}

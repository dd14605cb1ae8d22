package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/ssmpolicy/ssmpolicy/config"
	"github.com/ssmpolicy/ssmpolicy/scaffold"
)

// ManifestName is the file `init --manifest` writes.
const ManifestName = "ssmpolicy.yaml"

func newInit(env *Env) *cobra.Command {
	var manifest bool
	cmd := &cobra.Command{
		Use:   "init [--manifest] [PATH ...]",
		Short: "Write a commented .ssmpolicy.yaml, and with --manifest a starter manifest of the policy files found",
		Long: `init writes .ssmpolicy.yaml in the working directory: every setting at its default, with
commented examples. With --manifest it also writes ssmpolicy.yaml, a manifest listing the
policy files found under PATHs (default: the working directory) with the ARN each one's
Resource names; the parameter facts (tier, type, key) are left as comments for you to fill
in, or for check --live to read from AWS. init never overwrites a file: if one exists, it
writes nothing and exits 2.`,
		Example: `  ssmpolicy init
  ssmpolicy init --manifest policies/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 && !manifest {
				return usageError("init: PATHs name where to look for policy files, for --manifest")
			}
			files := []initFile{{name: config.FileName, content: scaffold.Config}}
			if manifest {
				if len(args) == 0 {
					args = []string{"."}
				}
				policies, err := scaffold.FindPolicies(args)
				if err != nil {
					return &exitError{code: ExitError, err: err}
				}
				if len(policies) == 0 {
					return &exitError{code: ExitError, err: fmt.Errorf("init --manifest: no policy file (a JSON document with a Statement) in %v that a manifest does not already name", args)}
				}
				files = append(files, initFile{name: ManifestName, content: scaffold.Manifest(env.Dir, policies)})
			}
			return writeNew(env, files)
		},
	}
	cmd.Flags().BoolVar(&manifest, "manifest", false, "also write "+ManifestName+", a manifest of the policy files found under PATHs")
	return cmd
}

type initFile struct {
	name    string
	content []byte
}

// writeNew writes files in env.Dir, none of which may exist: it checks them all before
// writing any, and creates each exclusively so that a file that appears meanwhile is kept.
func writeNew(env *Env, files []initFile) error {
	for _, f := range files {
		if _, err := os.Lstat(filepath.Join(env.Dir, f.name)); err == nil {
			return &exitError{code: ExitError, err: fmt.Errorf("init: %s exists: not overwritten (nothing was written)", f.name)}
		}
	}
	for _, f := range files {
		out, err := os.OpenFile(filepath.Join(env.Dir, f.name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			return &exitError{code: ExitError, err: fmt.Errorf("init: %s appeared while writing: not overwritten", f.name)}
		}
		if err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("init: %w", err)}
		}
		_, err = out.Write(f.content)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("init: write %s: %w", f.name, err)}
		}
		fmt.Fprintf(env.Stdout, "wrote %s\n", f.name)
	}
	return nil
}

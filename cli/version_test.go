package cli

import (
	"context"
	"runtime/debug"
	"strings"
	"testing"
)

func TestResolveBuild(t *testing.T) {
	info := func(version string, settings ...debug.BuildSetting) *debug.BuildInfo {
		bi := &debug.BuildInfo{Settings: settings}
		bi.Main.Version = version
		return bi
	}
	rev := debug.BuildSetting{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"}
	dirty := debug.BuildSetting{Key: "vcs.modified", Value: "true"}
	for _, c := range []struct {
		name            string
		version, commit string
		info            *debug.BuildInfo
		want            string
	}{
		{"release ldflags win over build info", "v1.2.3", "fedcba9876543210", info("v0.0.1", rev), "v1.2.3 (commit fedcba987654)"},
		{"go install of a tag", "", "", info("v0.1.0"), "v0.1.0"},
		{"build in a clone", "", "", info(Devel, rev), "(devel) (commit 0123456789ab)"},
		{"build in a modified clone", "", "", info(Devel, rev, dirty), "(devel) (commit 0123456789ab-dirty)"},
		{"no build info", "", "", nil, "(devel)"},
		{"version only from ldflags", "v2.0.0", "", info(Devel), "v2.0.0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := resolveBuild(c.version, c.commit, c.info).String(); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestVersionCommand(t *testing.T) {
	env, out, _ := testEnv(t.TempDir(), "")
	env.Build = Build{Version: "v9.8.7", Commit: "abc"}
	if code := RunEnv(context.Background(), []string{"version"}, env); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if got := out.String(); got != "ssmpolicy v9.8.7 (commit abc)\n" {
		t.Errorf("got %q", got)
	}
	env, out, _ = testEnv(t.TempDir(), "")
	RunEnv(context.Background(), []string{"version"}, env)
	if !strings.HasPrefix(out.String(), "ssmpolicy (devel)") {
		t.Errorf("without a build: %q", out.String())
	}
}
